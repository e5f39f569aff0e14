from django.contrib import admin

from .models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["title", "kind", "status", "author", "created_at", "expires_at"]
    list_filter = ["kind", "status", "category"]
    search_fields = ["title"]
    raw_id_fields = ["author"]
    filter_horizontal = ["skills"]
