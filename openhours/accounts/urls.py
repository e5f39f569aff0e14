from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("waiting/", views.awaiting_approval, name="awaiting_approval"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:user_id>/", views.decide, name="decide"),
]
