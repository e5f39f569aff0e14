from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("queue/", views.queue, name="queue"),
    path("requests/<int:post_id>/invite/", views.invite, name="invite"),
    path("requests/<int:post_id>/handled/", views.mark_handled, name="handled"),
]
