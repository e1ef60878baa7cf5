"""Write a generated demo district (selaras.demo) into the database, fast, in one transaction.

Plans go through `bulk_create` (thousands of rows). Proposals and decisions (160,000+ rows each at
the Bekasi scale) go through `executemany` on plain INSERTs with explicit timestamps, which is
several times faster than model instances and keeps the dates of the generated cycle.
Decisions are only ever inserted (the decision log is append-only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from selaras.demo.model import DemoDistrict, DemoIndicator
from selaras.domain.proposals import Channel
from selaras.domain.roles import ROLE_LABELS, Role
from selaras.web.accounts.models import Membership
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    LocalGovernment,
    LongTermPlan,
    MediumTermPlan,
    Mission,
    Objective,
    PolicyDirection,
    PriorityProgram,
    RenjaLine,
    Renstra,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
    Strategy,
)
from selaras.web.proposals.models import Decision, Proposal

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_ADMIN_PASSWORD",
    "Progress",
    "create_demo_users",
    "delete_district",
    "demo_government",
    "load_district",
]

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total)."""

CHUNK = 5_000
DEMO_PASSWORD = "selaras-demo"
DEMO_ADMIN_PASSWORD = "selaras-admin"


def demo_government(region_code: str, region_edition: str | None = None) -> LocalGovernment | None:
    """The government of `region_code` if one is in the database (with agencies: a loaded district)."""
    query = LocalGovernment.objects.filter(region_code=region_code)
    if region_edition:
        query = query.filter(region_edition=region_edition)
    return query.first()


def delete_district(government: LocalGovernment) -> None:
    """Remove a demo district. Decisions are append-only in the application; wiping a whole demo
    district is the one place that removes them, with a raw delete that bypasses the guard."""
    with transaction.atomic():
        decisions: Any = Decision.objects.filter(proposal__government=government)
        decisions._raw_delete(decisions.db)
        proposals: Any = Proposal.objects.filter(government=government)
        for relation in Proposal._meta.related_objects:  # e.g. selection outcomes of the proposals
            if relation.related_model is Decision or not relation.field.concrete:
                continue
            related: Any = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": proposals.values("pk")})
            if relation.on_delete is models.SET_NULL:
                related.update(**{relation.field.name: None})
            else:
                related.delete()
        proposals._raw_delete(proposals.db)
        government.delete()


def load_district(district: DemoDistrict, progress: Progress | None = None) -> LocalGovernment:
    """Write every record of `district`; returns the new `LocalGovernment`."""
    report = progress or (lambda stage, done, total: None)
    with transaction.atomic(), _large_cache():
        government = LocalGovernment.objects.create(
            region_code=district.region_code, region_edition=district.region_edition,
            name=district.region_name, level=district.level,
            nomenclature_edition=district.nomenclature_edition,
        )
        report("rencana", 0, 4)
        agencies = _agencies(government, district)
        rpjmd, objectives = _rpjmd(government, district)
        report("rencana", 1, 4)
        renstra_lines = _renstras(district, agencies, rpjmd, objectives)
        report("rencana", 2, 4)
        renja_lines = _rkpd(government, district, agencies, rpjmd, renstra_lines)
        report("rencana", 4, 4)
        _proposals(government, district, agencies, renja_lines, report)
        from selaras.web.alignment.demo_flaws import inject_known_flaws

        report("cacat", 0, 1)
        inject_known_flaws(government, district.seed)
        report("cacat", 1, 1)
    return government


@contextmanager
def _large_cache() -> Iterator[None]:
    """SQLite keeps 2 MB of pages by default; 160,000 rows into a dozen indexes want more."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# -- plans ------------------------------------------------------------------------------------


def _agencies(government: LocalGovernment, district: DemoDistrict) -> dict[str, Agency]:
    rows = Agency.objects.bulk_create([
        Agency(government=government, code=a.code, name=a.name, short_name=a.short_name,
               sector_codes=list(a.sector_codes), district_code=a.district_code)
        for a in district.agencies
    ])
    return {a.code: a for a in rows}


def _indicator(source: DemoIndicator, **owner: Any) -> Indicator:
    return Indicator(key=source.key, name=source.name, unit=source.unit, direction=source.direction,
                     baseline=source.baseline, end_value=source.end_value, **owner)


def _targets(pairs: Sequence[tuple[Indicator, DemoIndicator]]) -> None:
    IndicatorTarget.objects.bulk_create([
        IndicatorTarget(indicator=row, year=year, value=value)
        for row, source in pairs for year, value in source.targets
    ])


def _rpjmd(government: LocalGovernment, district: DemoDistrict) -> tuple[MediumTermPlan, dict[str, Objective]]:
    long_term = district.long_term_plan
    rpjpd = LongTermPlan.objects.create(government=government, start_year=long_term.start_year,
                                        end_year=long_term.end_year, vision=long_term.vision,
                                        missions=list(long_term.missions))
    source = district.rpjmd
    rpjmd = MediumTermPlan.objects.create(government=government, long_term_plan=rpjpd,
                                          start_year=source.start_year, end_year=source.end_year,
                                          vision=source.vision)
    pairs: list[tuple[Indicator, DemoIndicator]] = []
    for key in source.key_indicators:
        pairs.append((_indicator(key, rpjmd=rpjmd), key))
    objectives: dict[str, Objective] = {}
    for mission_source in source.missions:
        mission = Mission.objects.create(rpjmd=rpjmd, number=mission_source.number, text=mission_source.text)
        for goal_source in mission_source.goals:
            goal = Goal.objects.create(mission=mission, number=goal_source.number, text=goal_source.text)
            for objective_source in goal_source.objectives:
                objective = Objective.objects.create(goal=goal, number=objective_source.number,
                                                     text=objective_source.text)
                objectives[objective_source.number] = objective
                for indicator in objective_source.indicators:
                    pairs.append((_indicator(indicator, objective=objective), indicator))
                for strategy_source in objective_source.strategies:
                    strategy = Strategy.objects.create(objective=objective, text=strategy_source.text)
                    PolicyDirection.objects.bulk_create([
                        PolicyDirection(strategy=strategy, text=text) for text in strategy_source.policy_directions
                    ])
    Indicator.objects.bulk_create([row for row, _ in pairs])
    _targets(pairs)
    return rpjmd, objectives


def _renstras(
    district: DemoDistrict, agencies: dict[str, Agency], rpjmd: MediumTermPlan, objectives: dict[str, Objective],
) -> dict[tuple[str, str], RenstraLine]:
    """Renstra with goals, objectives (with indicators) and program/activity/sub-activity lines."""
    renstras = Renstra.objects.bulk_create([
        Renstra(agency=agencies[r.agency_code], rpjmd=rpjmd, start_year=r.start_year, end_year=r.end_year)
        for r in district.renstras
    ])
    goals = RenstraGoal.objects.bulk_create([
        RenstraGoal(renstra=row, number="1", text=source.goal_text)
        for row, source in zip(renstras, district.renstras, strict=True)
    ])
    renstra_objectives: list[RenstraObjective] = []
    for goal, source in zip(goals, district.renstras, strict=True):
        for objective in source.objectives:
            renstra_objectives.append(RenstraObjective(
                goal=goal, number=objective.number, text=objective.text,
                rpjmd_objective=objectives.get(objective.rpjmd_objective_number),
            ))
    RenstraObjective.objects.bulk_create(renstra_objectives)
    pairs: list[tuple[Indicator, DemoIndicator]] = []
    objective_of: dict[tuple[str, str], RenstraObjective] = {}
    position = 0
    for source in district.renstras:
        for objective in source.objectives:
            row = renstra_objectives[position]
            position += 1
            objective_of[(source.agency_code, objective.number)] = row
            for indicator in objective.indicators:
                pairs.append((_indicator(indicator, renstra_objective=row), indicator))
    Indicator.objects.bulk_create([row for row, _ in pairs])
    _targets(pairs)

    lines: dict[tuple[str, str], RenstraLine] = {}
    years: list[RenstraLineYear] = []
    for level in ("program", "activity", "sub_activity"):
        batch: list[RenstraLine] = []
        sources = []
        for row, source in zip(renstras, district.renstras, strict=True):
            for line in source.lines:
                if line.level != level:
                    continue
                batch.append(RenstraLine(
                    renstra=row, parent=lines.get((source.agency_code, line.parent_code)),
                    objective=objective_of.get((source.agency_code, line.objective_number)),
                    level=line.level, code=line.code, nomenclature_edition=district.nomenclature_edition,
                    name=line.name[:400], indicator=line.indicator[:300], unit=line.unit,
                ))
                sources.append((source.agency_code, line))
        RenstraLine.objects.bulk_create(batch)
        for row, (agency_code, line) in zip(batch, sources, strict=True):
            lines[(agency_code, line.code)] = row
            years.extend(RenstraLineYear(line=row, year=year, target=target, budget=budget)
                         for year, target, budget in line.years)
    RenstraLineYear.objects.bulk_create(years, batch_size=2_000)
    return lines


def _rkpd(
    government: LocalGovernment, district: DemoDistrict, agencies: dict[str, Agency], rpjmd: MediumTermPlan,
    renstra_lines: dict[tuple[str, str], RenstraLine],
) -> dict[tuple[str, str], RenjaLine]:
    source = district.rkpd
    rkpd = AnnualPlan.objects.create(government=government, rpjmd=rpjmd, year=source.year, stage=source.stage,
                                     ceiling=source.ceiling, theme=source.theme)
    PriorityProgram.objects.bulk_create([
        PriorityProgram(rkpd=rkpd, code=code, name=name[:400]) for code, name in source.priority_programs
    ])
    renjas = AgencyAnnualPlan.objects.bulk_create([
        AgencyAnnualPlan(rkpd=rkpd, agency=agencies[code], stage=source.stage, ceiling=ceiling)
        for code, ceiling in source.agency_ceilings
    ])
    renja_of = {renja.agency.code: renja for renja in renjas}
    rows = [
        RenjaLine(renja=renja_of[line.agency_code], renstra_line=renstra_lines.get((line.agency_code, line.code)),
                  code=line.code, nomenclature_edition=district.nomenclature_edition, name=line.name[:400],
                  indicator=line.indicator[:300], unit=line.unit, target=line.target, budget=line.budget,
                  forward_estimate=line.forward_estimate, district_code=line.district_code)
        for line in source.renja_lines
    ]
    RenjaLine.objects.bulk_create(rows, batch_size=2_000)
    return {(row.renja.agency.code, row.code): row for row in rows}


# -- proposals --------------------------------------------------------------------------------


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def _insert(model: type[models.Model], names: Sequence[str], rows: Iterable[tuple[Any, ...]],
            total: int, stage: str, report: Progress) -> None:
    columns = _columns(model, names)
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    done = 0
    report(stage, 0, total)
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                report(stage, done, total)
        if batch:
            cursor.executemany(sql, batch)
            done += len(batch)
    report(stage, done, total)


PROPOSAL_FIELDS = (
    "government", "year", "number", "channel", "stage", "status", "title", "description", "village_code",
    "district_code", "region_edition", "address", "volume", "unit", "estimated_cost", "priority_rank",
    "proposer_name", "proposer_role", "councillor_name", "agency", "sub_activity_code", "renja_line",
    "created_at",
)
DECISION_FIELDS = (
    "proposal", "stage", "outcome", "reason", "actor_role", "new_volume", "new_cost", "merged_into",
    "postponed_to_year", "internal_note", "created_at",
)


def _proposals(government: LocalGovernment, district: DemoDistrict, agencies: dict[str, Agency],
               renja_lines: dict[tuple[str, str], RenjaLine], report: Progress) -> None:
    p = district.proposals
    # the generated cycle reuses timestamps a lot; adapting each distinct one once saves seconds
    adapt_dt = lru_cache(maxsize=None)(connection.ops.adapt_datetimefield_value)
    agency_id = {code: a.pk for code, a in agencies.items()}
    renja_id = {key: line.pk for key, line in renja_lines.items()}
    year = district.rkpd.year
    gid = government.pk
    edition = district.region_edition
    accepted = "accepted"

    def proposal_rows() -> Iterable[tuple[Any, ...]]:
        for i in range(len(p)):
            agency_code = p.agency_code[i]
            code = p.sub_activity_code[i]
            renja = renja_id.get((agency_code, code)) if p.status[i] == accepted else None
            yield (gid, year, p.number[i], p.channel[i], p.stage[i], p.status[i], p.title[i], p.description[i],
                   p.village_code[i], p.district_code[i], edition, p.address[i], p.volume[i], p.unit[i],
                   p.estimated_cost[i], p.priority_rank[i], p.proposer_name[i], p.proposer_role[i],
                   p.councillor_name[i], agency_id.get(agency_code), code, renja, adapt_dt(p.created_at[i]))

    _insert(Proposal, PROPOSAL_FIELDS, proposal_rows(), len(p), "usulan", report)
    ids = dict(Proposal.objects.filter(government=government).values_list("number", "id"))
    proposal_id = [ids[number] for number in p.number]
    d = district.decisions

    def decision_rows() -> Iterable[tuple[Any, ...]]:
        for i in range(len(d)):
            merged = d.merged_into[i]
            yield (proposal_id[d.proposal[i]], d.stage[i], d.outcome[i], d.reason[i], d.actor_role[i],
                   d.new_volume[i], d.new_cost[i], proposal_id[merged] if merged is not None else None,
                   d.postponed_to_year[i], "", adapt_dt(d.created_at[i]))

    _insert(Decision, DECISION_FIELDS, decision_rows(), len(d), "keputusan", report)


# -- users ------------------------------------------------------------------------------------


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
    from selaras.web.reference.models import Region

    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return name or code


def open_demo_windows(government: Any, days_open: int = 90) -> int | None:
    """Open every stage window of the plan year being prepared, so that demo users can try the
    whole proposal flow today. Does nothing when that year already has a schedule.
    Returns the year opened, or None."""
    from datetime import timedelta

    from django.utils import timezone

    from selaras.domain.proposals import Stage
    from selaras.web.proposals import services as proposal_services
    from selaras.web.proposals.models import StageWindow

    year = proposal_services.planning_year()
    if StageWindow.objects.filter(government=government, year=year).exists():
        return None
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    now = timezone.now()
    for stage in Stage:
        proposal_services.open_window(admin, government, year, stage,
                                      now - timedelta(days=1), now + timedelta(days=days_open))
    return year
