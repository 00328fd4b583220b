from django.contrib import admin

from equiserve.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department", "town", "is_demo"]
    list_filter = ["role", "department", "is_demo"]
