from django.urls import path

from . import views

app_name = "membership"
urlpatterns = [
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:user_id>/", views.decide, name="decide"),
]
