from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "openhours.posts"
    verbose_name = "Offers and requests"
