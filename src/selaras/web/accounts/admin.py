"""Admin for users with their role (Membership) inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from selaras.web.accounts.models import Membership
from selaras.web.http import AnyUser

User = get_user_model()


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    max_num = 1
    fields = ["government", "role", "region_code", "agency", "councillor_name"]
    autocomplete_fields = ["government", "agency"]
    verbose_name = "peran dan lingkup kerja"
    verbose_name_plural = "peran dan lingkup kerja"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("government", "agency")


@admin.display(description="peran", ordering="membership__role")
def membership_role(user: AnyUser) -> str:
    membership = getattr(user, "membership", None)
    return membership.get_role_display() if membership is not None else "-"


@admin.display(description="pemerintah daerah", ordering="membership__government__name")
def membership_government(user: AnyUser) -> str:
    membership = getattr(user, "membership", None)
    return membership.government.name if membership is not None else "-"


admin.site.unregister(User)


@admin.register(User)
class SelarasUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", membership_role, membership_government,
                    "is_staff", "is_active"]
    list_select_related = ["membership__government"]
    list_filter = ["membership__role", "is_staff", "is_superuser", "is_active"]
    show_full_result_count = False
    actions = ["deactivate", "reactivate"]

    # Users are deactivated, never deleted: decisions and selection runs keep their actor (the
    # foreign keys are PROTECT), so the audit trail shows who did what, for ever.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Nonaktifkan pengguna terpilih (tidak bisa masuk lagi; jejaknya tetap)",
                  permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        own = queryset.filter(pk=request.user.pk).exists()
        count = queryset.exclude(pk=request.user.pk).filter(is_active=True).update(is_active=False)
        self.message_user(request, f"{count} pengguna dinonaktifkan.", messages.SUCCESS)
        if own:
            self.message_user(request, "Akun Anda sendiri tidak dinonaktifkan.", messages.WARNING)

    @admin.action(description="Aktifkan kembali pengguna terpilih", permissions=["change"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(request, f"{count} pengguna diaktifkan kembali.", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "government", "region_code", "agency", "councillor_name"]
    list_select_related = ["user", "government", "agency"]
    list_filter = ["role", ("government", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "region_code", "councillor_name",
                     "agency__name"]
    autocomplete_fields = ["user", "government", "agency"]
    show_full_result_count = False
