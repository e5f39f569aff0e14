from django.contrib import admin

from .models import ICB, Organisation, Place, Team


@admin.register(ICB)
class ICBAdmin(admin.ModelAdmin[ICB]):
    list_display = ["name", "ods_code", "region"]
    search_fields = ["name", "ods_code"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ["name", "icb", "code"]
    list_filter = ["icb"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "ods_code", "icb", "place", "is_active"]
    list_filter = ["kind", "is_active", "icb"]
    search_fields = ["name", "ods_code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "organisation"]
    search_fields = ["name", "organisation__name"]
