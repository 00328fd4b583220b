"""Read-only admin views: every change goes through the services (and the audit)."""

from django.contrib import admin

from equiserve.monitoring.models import (
    IndicatorEntry,
    Report,
    ReportEvent,
    ReportFigure,
    ReportItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = ReportItem
    extra = 0
    can_delete = False
    readonly_fields = ("clause", "status", "progress", "problems", "next_steps")

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor_username", "at", "revision", "comment")
    exclude = ("snapshot", "actor")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "kind",
        "department",
        "town",
        "status",
        "revision",
        "due_on",
    )
    list_filter = ("period", "kind", "status")
    inlines = [ItemInline, EventInline]


@admin.register(ReportFigure)
class ReportFigureAdmin(ReadOnlyAdmin):
    list_display = ("report", "indicator", "place", "group", "value", "status")
    list_filter = ("indicator",)


@admin.register(IndicatorEntry)
class IndicatorEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "indicator",
        "role",
        "period",
        "place",
        "group",
        "value",
        "entered_by",
    )
    list_filter = ("indicator", "period")
