from django.urls import path

from . import views

app_name = "group_sessions"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("<int:session_id>/", views.session_detail, name="detail"),
    path("<int:session_id>/sign-up/", views.session_sign_up, name="sign_up"),
    path("<int:session_id>/withdraw/", views.session_withdraw, name="withdraw"),
    path("<int:session_id>/cancel/", views.session_cancel, name="cancel"),
    path("<int:session_id>/delivery/", views.session_record_delivery, name="record_delivery"),
    path("<int:session_id>/confirm/", views.session_confirm, name="confirm"),
    path("<int:session_id>/dispute/", views.session_dispute, name="dispute"),
    path("<int:session_id>/resolve/", views.session_resolve, name="resolve"),
]
