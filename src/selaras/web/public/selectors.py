"""Public read queries for the proposal tracker (no login).

Only public fields ever leave this module: queries name their columns explicitly, so the
proposer's and councillor's names, coordinates, the users who acted (actor, created_by) and
decisions' internal notes are never loaded, let alone shown. Decisions show the role that
decided, never the person.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from selaras.domain.proposal_numbers import canonical_number, read_number_query
from selaras.domain.proposals import (
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Channel,
    Outcome,
    ProposalStatus,
    Stage,
)
from selaras.domain.roles import role_label
from selaras.web.plans.models import Agency, LocalGovernment, RenjaLine
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.reference.models import NomenclatureItem, Region

__all__ = ["PublicDecision", "PublicProposal", "public_proposal", "village_proposals", "governments",
           "districts_of", "villages_of", "region", "PUBLIC_PROPOSAL_FIELDS", "NOT_FUNDED_OUTCOMES",
           "TrackerFilters", "TrackerScope", "TrackerPage", "tracker_page", "find_numbers", "SORTS",
           "PUBLIC_STATUSES", "agencies_of", "years_of", "government_of_region", "number_example"]

#: The only Proposal columns the tracker reads.
PUBLIC_PROPOSAL_FIELDS = ("id", "number", "year", "channel", "stage", "status", "title", "description",
                          "village_code", "district_code", "region_edition", "address", "volume", "unit",
                          "estimated_cost", "sub_activity_code", "agency__name", "government__name",
                          "government__nomenclature_edition", "renja_line_id", "created_at")
_DECISION_FIELDS = ("stage", "outcome", "reason", "actor_role", "new_volume", "new_cost",
                    "merged_into__number", "postponed_to_year", "created_at")
NOT_FUNDED_OUTCOMES = (Outcome.REJECTED.value, Outcome.POSTPONED.value, Outcome.MERGED.value)
_NOT_PUBLIC = (ProposalStatus.DRAFT.value,)


def _label(enum: Any, labels: dict[Any, str], value: str) -> str:
    try:
        return labels[enum(value)]
    except (ValueError, KeyError):
        return value


@dataclass
class PublicDecision:
    stage: str
    stage_label: str
    outcome: str
    outcome_label: str
    role: str
    at: datetime
    reason: str
    new_volume: Decimal | None = None
    new_cost: int | None = None
    merged_into: str = ""
    postponed_to_year: int | None = None


@dataclass(kw_only=True)
class PlanLine:
    code: str
    name: str
    agency: str
    year: int | None = None
    budget: int


@dataclass
class PublicProposal:
    number: str
    year: int
    government: str
    channel: str
    channel_label: str
    stage_label: str
    status: str
    status_label: str
    title: str
    description: str
    district_code: str
    district_name: str
    village_code: str
    village_name: str
    address: str
    volume: Decimal
    unit: str
    estimated_cost: int
    sub_activity_code: str
    sub_activity_name: str
    agency: str
    submitted_at: datetime
    trail: list[PublicDecision]
    plan_line: PlanLine | None = None
    not_funded_reason: str = ""
    not_funded_outcome: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _region_names(edition: str, codes: list[str]) -> dict[str, str]:
    codes = [c for c in codes if c]
    if not codes:
        return {}
    return dict(Region.objects.filter(edition=edition, code__in=codes).values_list("code", "name"))


def _public(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.exclude(status__in=_NOT_PUBLIC)


def public_proposal(number: str) -> PublicProposal | None:
    """A proposal as the public sees it, with its whole decision trail, or None."""
    wanted = canonical_number(number) or number.strip()
    row = _public(Proposal.objects.filter(number=wanted)).values(*PUBLIC_PROPOSAL_FIELDS).first()
    if row is None:
        return None
    names = _region_names(row["region_edition"], [row["village_code"], row["district_code"]])
    sub_name = ""
    if row["sub_activity_code"]:
        sub_name = (NomenclatureItem.objects.filter(edition=row["government__nomenclature_edition"],
                                                    code=row["sub_activity_code"], level="sub_activity")
                    .values_list("name", flat=True).first() or "")
    proposal = PublicProposal(
        number=row["number"], year=row["year"], government=row["government__name"], channel=row["channel"],
        channel_label=_label(Channel, CHANNEL_LABELS, row["channel"]),
        stage_label=_label(Stage, STAGE_LABELS, row["stage"]), status=row["status"],
        status_label=_label(ProposalStatus, STATUS_LABELS, row["status"]), title=row["title"],
        description=row["description"], district_code=row["district_code"],
        district_name=names.get(row["district_code"], ""), village_code=row["village_code"],
        village_name=names.get(row["village_code"], ""), address=row["address"], volume=row["volume"],
        unit=row["unit"], estimated_cost=row["estimated_cost"], sub_activity_code=row["sub_activity_code"],
        sub_activity_name=sub_name, agency=row["agency__name"] or "", submitted_at=row["created_at"], trail=[],
    )
    decisions = Decision.objects.filter(proposal_id=row["id"]).order_by("created_at", "id").values(*_DECISION_FIELDS)
    for d in decisions:
        proposal.trail.append(PublicDecision(
            stage=d["stage"], stage_label=_label(Stage, STAGE_LABELS, d["stage"]), outcome=d["outcome"],
            outcome_label=_label(Outcome, OUTCOME_LABELS, d["outcome"]), role=role_label(d["actor_role"]),
            at=d["created_at"], reason=d["reason"], new_volume=d["new_volume"], new_cost=d["new_cost"],
            merged_into=d["merged_into__number"] or "", postponed_to_year=d["postponed_to_year"]))
    if row["renja_line_id"]:
        line = (RenjaLine.objects.filter(pk=row["renja_line_id"])
                .values("code", "name", "budget", "renja__agency__name", "renja__rkpd__year").first())
        if line:
            proposal.plan_line = PlanLine(code=line["code"], name=line["name"], agency=line["renja__agency__name"],
                                          year=line["renja__rkpd__year"], budget=line["budget"])
    if proposal.status in (ProposalStatus.REJECTED.value, ProposalStatus.POSTPONED.value,
                           ProposalStatus.MERGED.value):
        last = next((d for d in reversed(proposal.trail) if d.outcome in NOT_FUNDED_OUTCOMES), None)
        if last is not None:
            proposal.not_funded_reason = last.reason
            proposal.not_funded_outcome = last.outcome_label
    return proposal


@dataclass
class VillageRow:
    number: str
    year: int
    title: str
    channel_label: str
    status: str
    status_label: str
    stage_label: str
    estimated_cost: int


def village_proposals(village_code: str, *, after_id: int | None = None, size: int = 50,
                      year: int | None = None) -> tuple[list[VillageRow], int | None]:
    """Public proposals located in a village, newest first; returns (rows, id for the next page)."""
    qs = _public(Proposal.objects.filter(village_code=village_code))
    if year:
        qs = qs.filter(year=year)
    if after_id:
        qs = qs.filter(id__lt=after_id)
    rows = list(qs.order_by("-id").values("id", "number", "year", "title", "channel", "status", "stage",
                                           "estimated_cost")[: size + 1])
    next_id = rows[size - 1]["id"] if len(rows) > size else None
    return [VillageRow(number=r["number"], year=r["year"], title=r["title"],
                       channel_label=_label(Channel, CHANNEL_LABELS, r["channel"]), status=r["status"],
                       status_label=_label(ProposalStatus, STATUS_LABELS, r["status"]),
                       stage_label=_label(Stage, STAGE_LABELS, r["stage"]), estimated_cost=r["estimated_cost"])
            for r in rows[:size]], next_id


def governments() -> list[LocalGovernment]:
    return list(LocalGovernment.objects.order_by("region_code"))


def number_example(government: LocalGovernment | None = None) -> str:
    """A proposal number as the search box's example: the government's region digits (else the
    first government's), the plan year it is preparing now (`windows.planning_year`, read from its
    data) and a village Musrenbang sequence, e.g. "3215-2026-MD-000123"; never a fixed year."""
    from selaras.web.proposals.numbering import format_number, number_prefix
    from selaras.web.proposals.windows import planning_year

    if government is None:
        government = LocalGovernment.objects.order_by("region_code").first()
    region_code = government.region_code if government is not None else "32.16"
    return format_number(number_prefix(region_code, planning_year(government), Channel.VILLAGE_MUSRENBANG), 123)


def region(code: str, edition: str | None = None) -> Region | None:
    qs = Region.objects.filter(code=code)
    if edition:
        qs = qs.filter(edition=edition)
    return qs.order_by("-edition").first()


def districts_of(government: LocalGovernment) -> list[tuple[str, str, int]]:
    """(code, name, number of public proposals) for each kecamatan of a government."""
    # Counted from the (government, year, district_code) index alone (every year named), then the
    # few drafts taken off: grouping the table itself would read every row.
    of_government = Proposal.objects.filter(government=government, year__in=years_of(government)).order_by()
    counts: dict[str, int] = {}
    for code, n in of_government.values_list("district_code").annotate(n=Count("id")).values_list("district_code", "n"):
        counts[code] = counts.get(code, 0) + n
    # no GROUP BY here: it would make SQLite walk the kecamatan index instead of the status one
    for code in of_government.filter(status__in=_NOT_PUBLIC).values_list("district_code", flat=True):
        counts[code] = counts.get(code, 0) - 1
    regions = Region.objects.filter(edition=government.region_edition, level=3,
                                    code__startswith=government.region_code + ".").order_by("code")
    return [(code, name, counts.get(code, 0)) for code, name in regions.values_list("code", "name")]


def villages_of(district: Region) -> list[tuple[str, str, str, int]]:
    """(code, name, kind, number of public proposals) for each village of a kecamatan."""
    counts = dict(_public(Proposal.objects.filter(village_code__startswith=district.code + ".")).order_by()
                  .values_list("village_code").annotate(n=Count("id")).values_list("village_code", "n"))
    regions = Region.objects.filter(edition=district.edition, level=4, parent_code=district.code).order_by("code")
    return [(code, name, kind, counts.get(code, 0)) for code, name, kind in regions.values_list("code", "name", "kind")]


# ---------------------------------------------------------------- the tracker (filters, pages)

#: Statuses the public sees, in the order their counts are shown.
PUBLIC_STATUSES: tuple[ProposalStatus, ...] = tuple(s for s in ProposalStatus if s.value not in _NOT_PUBLIC)

#: Sort keys of the tracker (query value -> ORDER BY) and their labels.
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "terbaru": ("Terbaru", ("-id",)),
    "terlama": ("Terlama", ("id",)),
    "biaya-tertinggi": ("Biaya tertinggi", ("-estimated_cost", "-id")),
    "biaya-terendah": ("Biaya terendah", ("estimated_cost", "id")),
    "nomor": ("Nomor usulan", ("number",)),
}
DEFAULT_SORT = "terbaru"
PAGE_SIZE = 25


@dataclass(frozen=True)
class TrackerFilters:
    """What a citizen chose on a tracker page (already parsed and checked by the view)."""

    channel: str = ""
    status: str = ""
    year: int | None = None
    agency_id: int | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1

    def query(self, **changes: object) -> str:
        """The query string of these filters with `changes` (empty values left out)."""
        from urllib.parse import urlencode

        values: dict[str, object] = {"jalur": self.channel, "status": self.status, "tahun": self.year or "",
                  "pd": self.agency_id or "", "q": self.q, "urut": "" if self.sort == DEFAULT_SORT else self.sort,
                  "halaman": self.page if self.page > 1 else ""}
        names = {"channel": "jalur", "status": "status", "year": "tahun", "agency_id": "pd", "q": "q",
                 "sort": "urut", "page": "halaman"}
        for key, value in changes.items():
            values[names[key]] = value if value is not None else ""
        if values["urut"] == DEFAULT_SORT:
            values["urut"] = ""
        if values["halaman"] in (1, "1"):
            values["halaman"] = ""
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    @property
    def active(self) -> bool:
        return bool(self.channel or self.status or self.year or self.agency_id or self.q)


@dataclass
class TrackerRow:
    number: str
    year: int
    title: str
    channel_label: str
    status: str
    status_label: str
    stage_label: str
    estimated_cost: int
    agency: str
    village_name: str


@dataclass
class StatusTally:
    status: str
    label: str
    count: int
    query: str  # the query string that filters on this status (page 1)


@dataclass
class PageLink:
    number: int | None  # None: a gap ("…")
    query: str = ""
    current: bool = False


@dataclass
class TrackerPage:
    rows: list[TrackerRow]
    total: int
    tallies: list[StatusTally]
    page: int
    pages: int
    links: list[PageLink]
    previous: str | None  # query strings of the neighbour pages
    following: str | None
    first_index: int  # the position of the first row shown (1-based), 0 when empty
    last_index: int
    all_query: str = ""  # the query string of the same filters with any status (page 1)
    all_count: int = 0  # rows matching the filters but the status
    channel_tallies: list[StatusTally] = field(default_factory=list)  # per channel (village, kecamatan)


@dataclass
class TrackerScope:
    """Where a tracker page looks: a village, a kecamatan or a whole government."""

    kind: str  # "village" | "district" | "government"
    code: str
    government: LocalGovernment | None


def government_of_region(code: str) -> LocalGovernment | None:
    """The government whose area holds the region `code` (its first two parts), or None."""
    parts = code.split(".")
    if len(parts) < 2:
        return None
    return LocalGovernment.objects.filter(region_code=".".join(parts[:2])).first()


def _scoped(scope: TrackerScope) -> QuerySet[Proposal]:
    qs = Proposal.objects.all()
    if scope.kind == "village":
        qs = qs.filter(village_code=scope.code)
    elif scope.kind == "district":
        if scope.government is None:
            return qs.none()
        # (government, year, district_code) is the index that holds the kecamatan: name every
        # year of the government so that both databases can use it without a year filter.
        qs = qs.filter(government=scope.government, year__in=years_of(scope.government), district_code=scope.code)
    else:
        if scope.government is None:
            return qs.none()
        qs = qs.filter(government=scope.government)
    return _public(qs)


def years_of(government: LocalGovernment) -> list[int]:
    """Plan years that have proposals of `government`, newest first."""
    return sorted(set(Proposal.objects.filter(government=government).order_by()
                      .values_list("year", flat=True).distinct()), reverse=True)


def agencies_of(government: LocalGovernment | None) -> list[tuple[int, str]]:
    """(id, name) of the government's agencies for the filter, by name."""
    if government is None:
        return []
    return list(Agency.objects.filter(government=government).order_by("name").values_list("id", "name"))


def _filtered(qs: QuerySet[Proposal], f: TrackerFilters, *, with_status: bool) -> QuerySet[Proposal]:
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.agency_id:
        qs = qs.filter(agency_id=f.agency_id)
    if f.q:
        found = read_number_query(f.q)
        match = Q(title__icontains=f.q) | Q(address__icontains=f.q)
        if found.exact:
            match |= Q(number=found.exact)
        elif found.fragment:
            match |= Q(number__contains=found.fragment)
        qs = qs.filter(match)
    if with_status and f.status:
        qs = qs.filter(status=f.status)
    return qs


def _page_links(page: int, pages: int, f: TrackerFilters) -> list[PageLink]:
    shown = sorted({1, 2, pages - 1, pages, *range(page - 2, page + 3)} & set(range(1, pages + 1)))
    links: list[PageLink] = []
    last = 0
    for n in shown:
        if n > last + 1:
            links.append(PageLink(None))
        links.append(PageLink(n, f.query(page=n), n == page))
        last = n
    return links


def tracker_page(scope: TrackerScope, f: TrackerFilters, *, size: int = PAGE_SIZE) -> TrackerPage:
    """One page of the public proposals of a place, with the count per status.

    Two queries over the proposals: one aggregate (the count per status of every row matching the
    filters but the status) and one page of rows (ORDER BY the chosen sort, LIMIT/OFFSET).
    """
    base = _filtered(_scoped(scope), f, with_status=False)
    channel_tallies: list[StatusTally] = []
    if scope.kind != "government":  # a few hundred or thousand rows: cheap enough for a second count
        by_channel = _filtered(_scoped(scope), replace(f, channel=""), with_status=True).aggregate(
            **{c.value: Count("id", filter=Q(channel=c.value)) for c in CHANNEL_LABELS})
        channel_tallies = [StatusTally(c.value, label, int(by_channel[c.value] or 0), f.query(channel=c.value, page=1))
                           for c, label in CHANNEL_LABELS.items() if by_channel[c.value]]
    row = base.aggregate(**{s.value: Count("id", filter=Q(status=s.value)) for s in PUBLIC_STATUSES})
    tallies = [StatusTally(s.value, STATUS_LABELS[s], int(row[s.value] or 0), f.query(status=s.value, page=1))
               for s in PUBLIC_STATUSES if row[s.value]]
    total = int(row[f.status] or 0) if f.status else sum(t.count for t in tallies)
    pages = max(1, -(-total // size))
    page = min(max(1, f.page), pages)
    order = SORTS.get(f.sort, SORTS[DEFAULT_SORT])[1]
    offset = (page - 1) * size
    values = list(_filtered(base, f, with_status=True).order_by(*order)
                  .values("number", "year", "title", "channel", "status", "stage", "estimated_cost",
                          "agency__name", "village_code", "region_edition")[offset:offset + size])
    villages: dict[str, str] = {}
    if scope.kind != "village" and values:
        codes = sorted({v["village_code"] for v in values if v["village_code"]})
        if codes:
            villages = dict(Region.objects.filter(code__in=codes, edition=values[0]["region_edition"])
                            .values_list("code", "name"))
    rows = [TrackerRow(number=v["number"], year=v["year"], title=v["title"],
                       channel_label=_label(Channel, CHANNEL_LABELS, v["channel"]), status=v["status"],
                       status_label=_label(ProposalStatus, STATUS_LABELS, v["status"]),
                       stage_label=_label(Stage, STAGE_LABELS, v["stage"]), estimated_cost=v["estimated_cost"],
                       agency=v["agency__name"] or "", village_name=villages.get(v["village_code"], ""))
            for v in values]
    return TrackerPage(
        rows=rows, total=total, tallies=tallies, page=page, pages=pages, links=_page_links(page, pages, f),
        previous=f.query(page=page - 1) if page > 1 else None,
        following=f.query(page=page + 1) if page < pages else None,
        first_index=offset + 1 if rows else 0, last_index=offset + len(rows),
        all_query=f.query(status="", page=1), all_count=sum(t.count for t in tallies),
        channel_tallies=channel_tallies)


def find_numbers(text: str, limit: int = 20) -> list[str]:
    """Public proposal numbers matching a typed number or a part of one (case and separators
    ignored, the sequence's leading zeros optional); exact first."""
    query = read_number_query(text)
    if query.empty:
        return []
    if query.exact:
        exact = list(_public(Proposal.objects.filter(number=query.exact)).values_list("number", flat=True)[:1])
        if exact:
            return exact
    return list(_public(Proposal.objects.filter(number__contains=query.fragment)).order_by("number")
                .values_list("number", flat=True)[:limit])
