"""Admin of what documents need besides the plans: forum meetings with attendance, signatories."""

from __future__ import annotations

from django.contrib import admin

from selaras.web.documents.models import Attendee, Meeting, Signatory


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 3
    fields = ("order", "name", "position", "institution", "role")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("forum", "year", "district_code", "agency", "place", "held_on", "government")
    list_filter = ("forum", "year", "government")
    search_fields = ("district_code", "agency__name", "place", "chair_name")
    inlines = [AttendeeInline]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "nip", "agency", "government")
    list_filter = ("government",)
    search_fields = ("name", "position", "nip")
