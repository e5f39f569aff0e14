from django.urls import path

from . import views

app_name = "posts"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_create, name="create"),
    path("mine/", views.my_posts, name="mine"),
    path("<int:post_id>/", views.post_detail, name="detail"),
    path("<int:post_id>/edit/", views.post_edit, name="edit"),
    path("<int:post_id>/close/", views.post_close, name="close"),
    path("<int:post_id>/renew/", views.post_renew, name="renew"),
]
