from django.contrib import admin

from equiserve.library.models import DigitalResource, EReadingRoom, Library


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "kind", "town")
    list_filter = ("kind",)


@admin.register(DigitalResource)
class DigitalResourceAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "category", "library")
    list_filter = ("category",)


@admin.register(EReadingRoom)
class EReadingRoomAdmin(admin.ModelAdmin):
    list_display = ("village", "opened_on", "closed_on", "shared_resources")
