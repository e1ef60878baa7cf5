"""The proposal world with its places in the reference tables and 32 public proposals in one village
(the public tracker's tests: browser and Django client)."""

from __future__ import annotations

from decimal import Decimal

from tests.browser.proposal_world import DISTRICT, VILLAGE, World, build_world


def tracker_world() -> World:
    """The proposal world, its places in the reference tables, and 32 public proposals in one village."""
    from selaras.web.proposals.models import Proposal
    from selaras.web.reference.models import Region

    world = build_world()
    edition = world.gov.region_edition
    for code, name, level, parent, kind in (
            ("32.16", "Kabupaten Bekasi", 2, "32", "kabupaten"),
            (DISTRICT, "Tambun Selatan", 3, "32.16", "kecamatan"),
            (VILLAGE, "Sukamaju", 4, DISTRICT, "desa")):
        Region.objects.update_or_create(edition=edition, code=code,
                                        defaults={"name": name, "level": level, "parent_code": parent, "kind": kind})
    statuses = ["accepted", "rejected", "in_review", "postponed", "returned", "merged"]
    rows = []
    for i in range(32):
        channel, prefix = (("musrenbang_village", "MD") if i % 4 else ("agency_draft", "PR"))
        title = f"Perbaikan saluran drainase RT 0{i % 9}" if i % 3 == 0 else f"Rehabilitasi jalan lingkungan {i}"
        rows.append(Proposal(
            government=world.gov, year=world.year, number=f"3216-{world.year}-{prefix}-{i + 1:06d}", channel=channel,
            stage="district", status=statuses[i % len(statuses)], title=title, village_code=VILLAGE,
            district_code=DISTRICT, volume=Decimal(100 + i), unit="m", estimated_cost=100_000_000 + i * 1_000_000,
            proposer_name="Warga", agency=world.pupr if i % 2 else None))
    Proposal.objects.bulk_create(rows)
    return world
