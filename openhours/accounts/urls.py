from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("waiting/", views.awaiting_approval, name="awaiting_approval"),
]
