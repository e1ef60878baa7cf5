"""A small government with one user per role and open stage windows, for proposal tests.

Shared by tests/integration/test_proposal_*.py, test_authorisation_matrix.py, tests/e2e and the
browser story. Builds only what the proposal cycle needs (no reference data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone

from selaras.domain.proposals import Stage
from selaras.web.accounts.models import Membership
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import StageWindow
from selaras.web.proposals.windows import planning_year
from selaras.web.reference.models import NomenclatureItem, Region

PASSWORD = "rahasia-uji-123"
VILLAGE = "32.16.05.2001"
OTHER_VILLAGE = "32.16.06.2003"
DISTRICT = "32.16.05"
OTHER_DISTRICT = "32.16.06"
COUNCILLOR = "Hj. Siti Aminah"
ROAD = "1.03.10.2.01.0009"  # Rehabilitasi Jalan (Permendagri 90/2019)
HEALTH = "1.02.02.2.01.0001"  # Pembangunan Rumah Sakit (as tests/planning_world.py has it)


@dataclass
class World:
    year: int
    gov: LocalGovernment
    other_gov: LocalGovernment
    pupr: Agency
    dinkes: Agency
    other_agency: Agency
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


_HASHED: list[str] = []


def _hashed_password() -> str:
    """Hash the shared password once per process (hashing is deliberately slow)."""
    if not _HASHED:
        _HASHED.append(make_password(PASSWORD))
    return _HASHED[0]


def build_world(open_windows: bool = True) -> World:
    gov = LocalGovernment.objects.create(region_code="32.16", name="Kabupaten Bekasi", level="regency")
    other = LocalGovernment.objects.create(region_code="32.17", name="Kabupaten Bandung Barat", level="regency")
    pupr = Agency.objects.create(government=gov, code="1.03.0.00.0.00.01.0000", name="Dinas Pekerjaan Umum dan Penataan Ruang",
                                 short_name="Dinas PUPR", sector_codes=["1.03"])
    dinkes = Agency.objects.create(government=gov, code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan",
                                   short_name="Dinas Kesehatan", sector_codes=["1.02"])
    other_agency = Agency.objects.create(government=other, code="1.03.0.00.0.00.01.0000",
                                         name="Dinas PUPR Bandung Barat", short_name="PUPR KBB")
    world = World(planning_year(), gov, other, pupr, dinkes, other_agency)
    # The reference data may already be loaded (session fixtures commit it): reuse its row.
    NomenclatureItem.objects.get_or_create(edition=gov.nomenclature_edition, code=ROAD, government_level="kab/kota",
                                           defaults={"name": "Rehabilitasi Jalan", "level": "sub_activity",
                                                     "parent_code": "1.03.10.2.01"})
    hashed = _hashed_password()
    specs: list[tuple[str, str, LocalGovernment, str, Agency | None, str]] = [
        ("desa", "village_operator", gov, VILLAGE, None, ""),
        ("desa_lain", "village_operator", gov, OTHER_VILLAGE, None, ""),
        ("camat", "district_operator", gov, DISTRICT, None, ""),
        ("camat_lain", "district_operator", gov, OTHER_DISTRICT, None, ""),
        ("perencana_pupr", "agency_planner", gov, "", pupr, ""),
        ("perencana_dinkes", "agency_planner", gov, "", dinkes, ""),
        ("bappeda", "planning_agency", gov, "", None, ""),
        ("admin", "admin", gov, "", None, ""),
        ("dprd", "councillor", gov, "", None, COUNCILLOR),
        ("dprd_lain", "councillor", gov, "", None, "Budi Santoso"),
        ("tapd", "budget_team", gov, "", None, ""),
        ("bappeda_lain", "planning_agency", other, "", None, ""),
    ]
    for username, role, government, region, agency, councillor in specs:
        user = User.objects.create(username=username, password=hashed, first_name=username.title())
        Membership.objects.create(user=user, government=government, role=role, region_code=region, agency=agency,
                                  councillor_name=councillor)
        world.users[username] = user
    world.users["tanpa_peran"] = User.objects.create(username="tanpa_peran", password=hashed)
    if open_windows:
        open_all_windows(world)
    return world


def add_health_sub_activity(world: World) -> str:
    """Put HEALTH in the world's nomenclature (proposals may only carry codes found there) and
    return it. Not done by `build_world`: tests that classify proposals see ROAD alone."""
    NomenclatureItem.objects.get_or_create(
        edition=world.gov.nomenclature_edition, code=HEALTH, government_level="kab/kota",
        defaults={"name": "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya",
                  "level": "sub_activity", "parent_code": "1.02.02.2.01"})
    return HEALTH


def open_all_windows(world: World) -> None:
    now = timezone.now()
    for stage in Stage:
        StageWindow.objects.update_or_create(
            government=world.gov, year=world.year, stage=stage.value,
            defaults={"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30),
                      "closed_manually": False, "closed_at": None})


def village_proposal(world: World, **overrides: Any) -> Any:
    """A Musrenbang Desa proposal entered by the village operator (at the kecamatan stage)."""
    from selaras.web.proposals import services

    data: dict[str, Any] = {
        "government": world.gov, "year": world.year, "channel": "musrenbang_village",
        "title": "Rehabilitasi jalan desa Sukamaju", "description": "Jalan rusak berat, dilalui anak sekolah.",
        "village_code": VILLAGE, "volume": "800", "unit": "meter", "estimated_cost": 450_000_000,
        "priority_rank": 1, "agency": world.pupr, "sub_activity_code": ROAD,
    }
    data.update(overrides)
    return services.create_proposal(world.users["desa"], **data)


def add_village_regions(world: World) -> None:
    """The kecamatan and desa of `VILLAGE` in the government's region edition (an import checks a
    proposal's place against them)."""
    edition = world.gov.region_edition
    Region.objects.get_or_create(edition=edition, code=DISTRICT, defaults={
        "name": "Cibarusah", "level": 3, "parent_code": "32.16", "kind": "kecamatan"})
    Region.objects.get_or_create(edition=edition, code=VILLAGE, defaults={
        "name": "Sukamaju", "level": 4, "parent_code": DISTRICT, "kind": "desa"})
