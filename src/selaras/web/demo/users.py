"""Demo accounts (one per role, scoped to real places of the district) and open stage windows,
so that a visitor can log in and try the whole proposal flow today."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from selaras.domain.proposals import Channel, Stage
from selaras.domain.roles import ROLE_LABELS, Role
from selaras.web.accounts.models import Membership
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import windows as proposal_windows
from selaras.web.proposals.models import Proposal, StageWindow
from selaras.web.reference.models import Region

__all__ = ["DEMO_ADMIN_PASSWORD", "DEMO_PASSWORD", "create_demo_users", "open_demo_windows"]

DEMO_PASSWORD = "selaras-demo"
DEMO_ADMIN_PASSWORD = "selaras-admin"


def create_demo_users(government: LocalGovernment, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """One user per role, scoped to real places of the district. Existing users keep their password.

    `prefix` is put before every username (tests use it to stay clear of other fixtures' users).
    Returns (username, password, role label, scope) rows for the login table.
    """
    user_model = get_user_model()
    agencies = list(Agency.objects.filter(government=government).order_by("code"))
    planning = next((a for a in agencies if a.short_name == "Bappelitbangda"), agencies[0])
    works = next((a for a in agencies if a.short_name == "Dinas PUPR"), agencies[0])
    office = next((a for a in agencies if a.district_code), None)
    district_code = office.district_code if office else ""
    village_code = (
        Proposal.objects.filter(government=government, district_code=district_code,
                                channel=Channel.VILLAGE_MUSRENBANG.value)
        .exclude(village_code="").order_by("village_code").values_list("village_code", flat=True).first()
        or ""
    )
    councillor = (
        Proposal.objects.filter(government=government, channel=Channel.POKIR.value)
        .order_by("number").values_list("councillor_name", flat=True).first()
        or ""
    )
    village_name = _region_name(village_code)
    district_name = office.name if office else ""
    specs = [
        ("admin", DEMO_ADMIN_PASSWORD, Role.ADMIN, "", None, "", "seluruh sistem (superuser)"),
        ("bappeda", DEMO_PASSWORD, Role.PLANNING_AGENCY, "", planning, "", planning.name),
        ("tapd", DEMO_PASSWORD, Role.BUDGET_TEAM, "", None, "", government.name),
        ("dprd", DEMO_PASSWORD, Role.COUNCILLOR, "", None, councillor, councillor),
        ("pupr", DEMO_PASSWORD, Role.AGENCY_PLANNER, "", works, "", works.name),
        ("kecamatan", DEMO_PASSWORD, Role.DISTRICT_OPERATOR, district_code, office, "",
         f"{district_name} ({district_code})"),
        ("desa", DEMO_PASSWORD, Role.VILLAGE_OPERATOR, village_code, None, "",
         f"{village_name} ({village_code})"),
    ]
    table: list[tuple[str, str, str, str]] = []
    for name, password, role, region_code, agency, councillor_name, scope in specs:
        username = prefix + name
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create(
                username=username, password=_demo_hash(password), first_name=ROLE_LABELS[role][:150],
                is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
            )
        Membership.objects.update_or_create(
            user=user,
            defaults={"government": government, "role": role.value, "region_code": region_code,
                      "agency": agency, "councillor_name": councillor_name},
        )
        table.append((username, password, ROLE_LABELS[role], scope))
    return table


@lru_cache(maxsize=8)
def _demo_hash(password: str) -> str:
    """Password hashing is slow on purpose; the public demo passwords are hashed once per process."""
    return make_password(password)


def _region_name(code: str) -> str:
    if not code:
        return ""
    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return name or code


def open_demo_windows(government: Any, days_open: int = 90) -> int | None:
    """Open every stage window of the plan year being prepared, so that demo users can try the
    whole proposal flow today. Does nothing when that year already has a schedule.
    Returns the year opened, or None."""
    year = proposal_windows.planning_year(government)
    if StageWindow.objects.filter(government=government, year=year).exists():
        return None
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    now = timezone.now()
    for stage in Stage:
        proposal_windows.open_window(admin, government, year, stage,
                                      now - timedelta(days=1), now + timedelta(days=days_open))
    return year
