from django.contrib import admin

from selaras.web.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("label", "kind", "user", "state", "created_at", "finished_at")
    list_filter = ("state", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
