from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("respond/<int:post_id>/", views.respond, name="respond"),
    path("start/<int:user_id>/", views.start, name="start"),
    path("<int:exchange_id>/", views.exchange_detail, name="detail"),
    path("<int:exchange_id>/accept/", views.accept, name="accept"),
    path("<int:exchange_id>/decline/", views.decline, name="decline"),
    path("<int:exchange_id>/cancel/", views.cancel, name="cancel"),
    path("<int:exchange_id>/deliver/", views.deliver, name="deliver"),
    path("<int:exchange_id>/confirm/", views.confirm, name="confirm"),
    path("<int:exchange_id>/correct/", views.correct, name="correct"),
    path(
        "<int:exchange_id>/correction/accept/",
        views.accept_correction,
        name="accept_correction",
    ),
    path(
        "<int:exchange_id>/correction/reject/",
        views.reject_correction,
        name="reject_correction",
    ),
    path("<int:exchange_id>/dispute/", views.dispute, name="dispute"),
    path("<int:exchange_id>/repeat/", views.repeat, name="repeat"),
    path("<int:exchange_id>/messages/", views.post_message, name="message"),
    path("<int:exchange_id>/thanks/", views.leave_thanks, name="thanks"),
    path("<int:exchange_id>/feedback/", views.leave_feedback, name="feedback"),
    path("<int:exchange_id>/resolve/", views.resolve, name="resolve"),
    path("coordinate/disputes/", views.disputes, name="disputes"),
    path("coordinate/record/", views.record_offline, name="record"),
    path("coordinate/feedback/", views.feedback_list, name="feedback_list"),
]
