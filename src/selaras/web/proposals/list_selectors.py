"""Read queries of the internal proposal list: filters, keyset paging, capped counting, export rows.

Built to stay fast at 163k proposals on SQLite and PostgreSQL: filters map onto indexed columns,
pages are fetched by keyset (no OFFSET), and the count stops at COUNT_CAP.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from selaras.domain.proposals import (
    CHANNEL_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    Channel,
    ProposalStatus,
    Stage,
)
from selaras.web.http import AnyUser
from selaras.web.params import (
    INT_MAX,
    encode_cursor,
    parse_code,
    parse_cursor,
    parse_int,
    parse_text,
    parse_year,
)
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import Proposal
from selaras.web.reference.models import Region

__all__ = ["ALL_CHANNELS", "ListFilters", "Page", "SORTS", "COUNT_CAP", "PAGE_SIZE", "filtered", "page_of", "count_capped",
           "export_rows", "EXPORT_HEADERS", "filter_choices", "visible_proposals"]

#: The channel filter's explicit "every channel" (a role's default channel applies when none is chosen).
ALL_CHANNELS = "semua"
PAGE_SIZE = 50
COUNT_CAP = 10_000
EXPORT_LIMIT = 250_000

#: sort key -> (field, descending)
SORTS: dict[str, tuple[str, bool, str]] = {
    "terbaru": ("id", True, "Terbaru"),
    "terlama": ("id", False, "Terlama"),
    "nomor": ("number", False, "Nomor"),
    "biaya_tertinggi": ("estimated_cost", True, "Biaya tertinggi"),
    "biaya_terendah": ("estimated_cost", False, "Biaya terendah"),
}


def _amount(data: Any, name: str) -> int | None:
    """A rupiah amount; '.' and ',' are read as thousands separators (1.000.000)."""
    raw = data.get(name)
    text = None if raw is None else str(raw).replace(".", "").replace(",", "")
    return parse_int(text, name=name, min=0, max=INT_MAX)


@dataclass
class ListFilters:
    """Filters as read from the query string.

    Unknown choices (channel, stage, status, sort) are dropped; numbers, codes and text go through
    the strict parser (`web.params`): a value that cannot be used is refused (400), never a 500.
    """

    year: int | None = None
    channel: str = ""
    stage: str = ""
    status: str = ""
    agency: int | None = None
    district: str = ""
    village: str = ""
    sub_activity: str = ""
    cost_min: int | None = None
    cost_max: int | None = None
    q: str = ""
    sort: str = "terbaru"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, data: Any) -> ListFilters:
        def text(name: str, size: int = 40) -> str:
            return parse_text(data.get(name), name=name, max_length=200)[:size]

        def code(name: str, size: int) -> str:
            return (parse_code(data.get(name), name=name) or "")[:size]

        channel, stage, status = text("channel"), text("stage"), text("status")
        sort = text("sort")
        return cls(
            year=parse_year(data.get("year"), name="year"),
            channel=channel if channel in {c.value for c in Channel} or channel == ALL_CHANNELS else "",
            stage=stage if stage in {s.value for s in Stage} else "",
            status=status if status in {s.value for s in ProposalStatus} else "",
            agency=parse_int(data.get("agency"), name="agency", min=1, max=INT_MAX),
            district=code("district", 13),
            village=code("village", 13),
            sub_activity=code("sub_activity", 24),
            cost_min=_amount(data, "cost_min"),
            cost_max=_amount(data, "cost_max"),
            q=text("q", 100),
            sort=sort if sort in SORTS else "terbaru",
        )

    @classmethod
    def for_user(cls, data: Any, user: AnyUser | None) -> ListFilters:
        """`from_query` with the default of the user's role when no channel was chosen: a village
        operator sees their own Musrenbang Desa proposals (their village is their scope); they
        pick 'Semua' (`ALL_CHANNELS`) for every channel. Other roles: every channel."""
        from selaras.domain.roles import Role
        from selaras.web.proposals.permissions import actor_for

        found = cls.from_query(data)
        if not found.channel and actor_for(user).role is Role.VILLAGE_OPERATOR:
            found.channel = Channel.VILLAGE_MUSRENBANG.value
        return found

    def as_query(self) -> dict[str, str]:
        """The non-empty filters, for links (paging, export, sorting)."""
        out = {}
        for key in ("year", "channel", "stage", "status", "agency", "district", "village", "sub_activity",
                    "cost_min", "cost_max", "q"):
            value = getattr(self, key)
            if value not in (None, ""):
                out[key] = str(value)
        if self.sort != "terbaru":
            out["sort"] = self.sort
        return out


def visible_proposals(user: AnyUser | None) -> QuerySet[Proposal]:
    """Proposals the user may see in internal lists (the lifecycle area's scope rules)."""
    from selaras.web.proposals.permissions import scope_filter

    return scope_filter(user, Proposal.objects.all())


#: The filters that are a plain equality on one column: (ListFilters field, Proposal column).
_EQUALITY_FILTERS = (("year", "year"), ("channel", "channel"), ("stage", "stage"), ("status", "status"),
                     ("agency", "agency_id"))


def filtered(qs: QuerySet[Proposal], f: ListFilters) -> QuerySet[Proposal]:
    """Apply the filters; each one is an indexed equality/range or a prefix where possible."""
    for name, column in _EQUALITY_FILTERS:
        if (value := getattr(f, name)) and not (name == "channel" and value == ALL_CHANNELS):
            qs = qs.filter(**{column: value})
    if f.village:
        qs = qs.filter(village_code=f.village)
    elif f.district:
        qs = qs.filter(district_code=f.district)
    if f.sub_activity:
        # a full code matches exactly; a shorter code (program, activity) matches as a prefix
        qs = (qs.filter(sub_activity_code=f.sub_activity) if f.sub_activity.count(".") >= 5
              else qs.filter(sub_activity_code__startswith=f.sub_activity))
    if f.cost_min is not None:
        qs = qs.filter(estimated_cost__gte=f.cost_min)
    if f.cost_max is not None:
        qs = qs.filter(estimated_cost__lte=f.cost_max)
    if f.q:
        if f.q.count("-") >= 3 and " " not in f.q:  # looks like a proposal number
            qs = qs.filter(number__startswith=f.q.upper())
        else:
            qs = qs.filter(Q(title__icontains=f.q) | Q(address__icontains=f.q) | Q(number=f.q))
    return qs


def count_capped(qs: QuerySet[Proposal], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, capped): never counts more than `cap` + 1 rows."""
    n = qs.order_by().values("id")[: cap + 1].count()
    return min(n, cap), n > cap


def _encode(values: list[Any]) -> str:
    return encode_cursor(values)


def _cursor_shape(field_name: str) -> tuple[type, ...]:
    """(sort value, id): the number sorts as text, id and cost as integers."""
    return (str, int) if field_name == "number" else (int, int)


@dataclass
class Page:
    rows: list[Proposal]
    next_token: str = ""
    prev_token: str = ""


def page_of(qs: QuerySet[Proposal], f: ListFilters, after: str = "", before: str = "",
            size: int = PAGE_SIZE) -> Page:
    """One page by keyset on (sort field, id). `after`/`before` are tokens from a previous page."""
    field_name, descending, _ = SORTS[f.sort]
    backwards = bool(before) and not after
    cursor = parse_cursor(after or before, name="after" if after else "before", shape=_cursor_shape(field_name))
    # walking backwards = walking forwards in the reversed order
    desc = descending != backwards
    if cursor is not None:
        value, last_id = cursor
        if field_name == "id":
            qs = qs.filter(id__lt=last_id) if desc else qs.filter(id__gt=last_id)
        else:
            op = "lt" if desc else "gt"
            qs = qs.filter(Q(**{f"{field_name}__{op}": value}) | Q(**{field_name: value, f"id__{op}": last_id}))
    order = [f"-{field_name}", "-id"] if desc else [field_name, "id"]
    if field_name == "id":
        order = order[:1]
    rows = list(qs.select_related("agency").order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = Page(rows=rows)
    if rows:
        first, last = rows[0], rows[-1]
        if more or backwards:
            page.next_token = _encode([getattr(last, field_name), last.id])
        if cursor is not None and (more or not backwards):
            page.prev_token = _encode([getattr(first, field_name), first.id])
    return page


def filter_choices(government: LocalGovernment | None, district: str = "") -> dict[str, Any]:
    """Options for the filter form: channels, stages, statuses, agencies, kecamatan, villages."""
    agencies: list[tuple[int, str]] = []
    districts: list[tuple[str, str]] = []
    villages: list[tuple[str, str]] = []
    if government is not None:
        agencies = [(pk, f"{name}") for pk, name in
                    Agency.objects.filter(government=government).order_by("name").values_list("id", "name")]
        regions = Region.objects.filter(edition=government.region_edition,
                                        code__startswith=government.region_code + ".")
        districts = list(regions.filter(level=3).order_by("code").values_list("code", "name"))
        if district:
            villages = list(regions.filter(level=4, parent_code=district).order_by("code").values_list("code", "name"))
    return {
        "channels": [(c.value, label) for c, label in CHANNEL_LABELS.items()],
        "stages": [(s.value, label) for s, label in STAGE_LABELS.items()],
        "statuses": [(s.value, label) for s, label in STATUS_LABELS.items()],
        "agencies": agencies, "districts": districts, "villages": villages,
        "sorts": [(key, label) for key, (_, _, label) in SORTS.items()],
    }


EXPORT_HEADERS = ["Nomor", "Tahun", "Jalur", "Tahap", "Status", "Usulan", "Alasan/Permasalahan",
                  "Kode Kecamatan", "Kecamatan", "Kode Desa/Kelurahan", "Desa/Kelurahan", "Alamat/Lokasi",
                  "Kode Sub Kegiatan", "Kode Perangkat Daerah", "Perangkat Daerah", "Volume", "Satuan",
                  "Perkiraan Biaya (Rp)", "Peringkat Prioritas", "Pengusul", "Anggota DPRD", "Dibuat"]
EXPORT_WIDTHS = [22, 7, 22, 22, 14, 45, 40, 12, 22, 16, 24, 30, 20, 26, 30, 10, 10, 16, 9, 24, 22, 18]


def export_rows(qs: QuerySet[Proposal], f: ListFilters) -> Iterator[list[Any]]:
    """Rows of the export, streamed from the database in chunks (constant memory)."""
    names: dict[str, str] = {}
    agencies: dict[int, tuple[str, str]] = {}
    field_name, descending, _ = SORTS[f.sort]
    order = [f"-{field_name}", "-id"] if descending else [field_name, "id"]
    channel_labels = {c.value: label for c, label in CHANNEL_LABELS.items()}
    stage_labels = {s.value: label for s, label in STAGE_LABELS.items()}
    status_labels = {s.value: label for s, label in STATUS_LABELS.items()}
    columns = ("number", "year", "channel", "stage", "status", "title", "description", "district_code",
               "village_code", "address", "sub_activity_code", "agency_id", "volume", "unit", "estimated_cost",
               "priority_rank", "proposer_name", "councillor_name", "created_at", "government_id")
    loaded_governments: set[int] = set()
    zone = timezone.get_current_timezone()  # once: localtime() per row looked it up 163k times
    for row in qs.order_by(*order).values_list(*columns)[:EXPORT_LIMIT].iterator(chunk_size=2000):
        (number, year, channel, stage, status, title, description, district, village, address, sub, agency_id,
         volume, unit, cost, rank, proposer, councillor, created, gov_id) = row
        if gov_id not in loaded_governments:
            loaded_governments.add(gov_id)
            gov = LocalGovernment.objects.get(pk=gov_id)
            names.update(Region.objects.filter(edition=gov.region_edition, code__startswith=gov.region_code + ".")
                         .values_list("code", "name"))
            agencies.update({pk: (code, name) for pk, code, name in
                             Agency.objects.filter(government_id=gov_id).values_list("id", "code", "name")})
        agency_code, agency_name = agencies.get(agency_id, ("", "")) if agency_id else ("", "")
        yield [number, year, channel_labels.get(channel, channel), stage_labels.get(stage, stage),
               status_labels.get(status, status), title, description, district, names.get(district, ""),
               village, names.get(village, ""), address, sub, agency_code, agency_name, volume, unit, cost, rank,
               proposer, councillor, created.astimezone(zone).replace(tzinfo=None) if created else None]
