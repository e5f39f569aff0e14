from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.edit_profile, name="edit"),
    path("me/blocked/", views.blocked_members, name="blocked"),
    path("search/", views.search, name="search"),
    path("<int:user_id>/", views.profile_detail, name="detail"),
    path("<int:user_id>/block/", views.block, name="block"),
    path("<int:user_id>/unblock/", views.unblock, name="unblock"),
]
