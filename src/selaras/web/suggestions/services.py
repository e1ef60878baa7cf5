"""Suggestions for proposals: duplicate candidates and classification, and the two actions.

Advisory only: nothing here changes a proposal. The merge goes through the proposals' own
decision service (`merged`, append-only, citing the other proposal) and "not a duplicate" is a
row of its own; both need a person's request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from selaras.domain.errors import InvalidInput
from selaras.domain.proposals import Outcome, ProposalStatus, Stage
from selaras.engines.similarity.classify import Choice, Classifier, Example, Suggestion
from selaras.engines.similarity.duplicates import (
    DEFAULT_THRESHOLD,
    DuplicateCandidate,
    DuplicateIndex,
    ProposalText,
)
from selaras.engines.similarity.kamus import shipped_for
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import services as proposal_services
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.permissions import check_can_on
from selaras.web.suggestions.models import NotDuplicate, TrainedClassifier

__all__ = [
    "Candidate", "ImportReview", "ReviewRow", "candidates_for", "check_new", "classifier_for", "import_review", "merge",
    "not_duplicate", "pairs", "retrain", "suggest",
]

logger = logging.getLogger(__name__)
_FIELDS = ("pk", "title", "description", "village_code", "district_code", "address", "latitude", "longitude",
           "agency__code", "sub_activity_code", "estimated_cost", "year", "channel", "volume")
#: Proposals no longer open to a merge are still compared (a re-submission of a rejected one is news).
_lock = threading.Lock()
_indexes: dict[tuple[Any, ...], _Live] = {}
_classifiers: dict[tuple[Any, ...], Classifier] = {}


def _record(row: dict[str, Any]) -> ProposalText:
    return ProposalText(
        key=row["pk"], title=row["title"], description=row["description"], village_code=row["village_code"],
        district_code=row["district_code"], address=row["address"],
        latitude=float(row["latitude"]) if row["latitude"] is not None else None,
        longitude=float(row["longitude"]) if row["longitude"] is not None else None,
        agency_code=row["agency__code"] or "", sub_activity_code=row["sub_activity_code"],
        estimated_cost=int(row["estimated_cost"] or 0), year=row["year"], channel=row["channel"],
        volume=float(row["volume"] or 0))


#: New proposals kept in a small index beside the big one before the big one is rebuilt.
DELTA_LIMIT = 2000


@dataclass
class _Live:
    """A government's proposals of some years: the index built at `base_max` (newest id then)
    and a small index of the proposals added since, scored with the big one's weights."""

    base: DuplicateIndex
    base_max: int
    base_count: int
    delta: DuplicateIndex | None = None
    covered: tuple[int, int] = (0, 0)  # (count, newest id) of the rows base + delta hold

    def check(self, record: ProposalText, threshold: float, limit: int) -> list[DuplicateCandidate]:
        if self.delta is None:
            return self.base.check(record, threshold=threshold, limit=limit)
        found = [*self.base.check(record, threshold=threshold, limit=limit),
                 *self.delta.check(record, threshold=threshold, limit=limit)]
        found.sort(key=lambda c: (-c.score, c.b))
        return found[:limit]


def _stats(gid: int, wanted: tuple[int, ...]) -> tuple[int, int]:
    got = Proposal.objects.filter(government_id=gid, year__in=wanted).aggregate(n=Count("id"), newest=Max("id"))
    return int(got["n"]), int(got["newest"] or 0)


def _build(gid: int, wanted: tuple[int, ...], stats: tuple[int, int]) -> _Live:
    rows = Proposal.objects.filter(government_id=gid, year__in=wanted, id__lte=stats[1])
    index = DuplicateIndex.build(_record(r) for r in rows.order_by("id").values(*_FIELDS))
    return _Live(index, stats[1], len(index), None, (len(index), stats[1]))


def _keep(key: tuple[int, tuple[int, ...]], live: _Live) -> _Live:
    with _lock:
        _indexes[key] = live
    return live


def _live(government: LocalGovernment | int, years: Iterable[int], wait: bool = True) -> _Live | None:
    """The government's proposals of `years` ready for checking, kept in memory. A proposal saved
    since the last build goes into a small second index (milliseconds), so the warning while
    entering stays fast during a busy Musrenbang; the big index is rebuilt after `DELTA_LIMIT`
    new proposals, when a proposal disappeared, or after a restart (an edited title is seen then).
    Without `wait`, a full build (seconds at district scale) runs in a background thread and the
    index held before (None after a restart) answers meanwhile."""
    gid = government if isinstance(government, int) else government.pk
    wanted = tuple(sorted(set(years)))
    stats = _stats(gid, wanted)
    with _lock:
        live = _indexes.get((gid, wanted))
    if live is not None and live.covered == stats:
        return live
    if live is not None and stats[1] > live.base_max:
        added = Proposal.objects.filter(government_id=gid, year__in=wanted, id__gt=live.base_max, id__lte=stats[1])
        if live.base_count + added.count() == stats[0] and stats[0] - live.base_count <= DELTA_LIMIT:
            delta = DuplicateIndex([_record(r) for r in added.order_by("id").values(*_FIELDS)], like=live.base)
            return _keep((gid, wanted), _Live(live.base, live.base_max, live.base_count, delta, stats))
    # A thread cannot see the rows of a transaction still open here (a script's, a test's): build inline.
    if not wait and not connection.in_atomic_block:
        _build_in_background(gid, wanted, stats)
        return live
    return _keep((gid, wanted), _build(gid, wanted, stats))


_building: set[tuple[int, tuple[int, ...]]] = set()


def _build_in_background(gid: int, wanted: tuple[int, ...], stats: tuple[int, int]) -> None:
    """One build per government and years at a time, in a daemon thread of this process."""
    key = (gid, wanted)
    with _lock:
        if key in _building:
            return
        _building.add(key)

    def run() -> None:
        try:
            _keep(key, _build(gid, wanted, stats))
        except Exception:  # noqa: BLE001 - logged; the next check tries again
            logger.exception("duplicate index of government %s could not be built", gid)
        finally:
            with _lock:
                _building.discard(key)
            connection.close()  # this thread's own connection

    threading.Thread(target=run, name=f"selaras-duplicate-index-{gid}", daemon=True).start()


def index_for(government: LocalGovernment | int, years: Iterable[int]) -> DuplicateIndex:
    """One index of all the government's proposals of `years` (for listing every pair)."""
    live = _live(government, years)
    assert live is not None  # built inline when waited for
    if live.delta is None:
        return live.base
    gid = government if isinstance(government, int) else government.pk
    wanted = tuple(sorted(set(years)))
    return _keep((gid, wanted), _build(gid, wanted, live.covered)).base


def _dismissed(keys: Iterable[int]) -> set[tuple[int, int]]:
    ids = list(keys)
    rows = NotDuplicate.objects.filter(first_id__in=ids) | NotDuplicate.objects.filter(second_id__in=ids)
    return set(rows.values_list("first_id", "second_id"))


@dataclass(frozen=True)
class Candidate:
    """A duplicate candidate shown beside `proposal`."""

    other: Proposal
    score: float
    reasons: str
    mergeable: bool  # same government and year, other not merged or rejected


def candidates_for(proposal: Proposal, limit: int = 5, threshold: float = DEFAULT_THRESHOLD) -> list[Candidate]:
    """Proposals of the same and the previous year that look like `proposal`, minus dismissed pairs."""
    live = _live(proposal.government_id, (proposal.year - 1, proposal.year))
    assert live is not None  # built inline when waited for
    row = Proposal.objects.filter(pk=proposal.pk).values(*_FIELDS).first()
    if row is None:
        return []
    found = live.check(_record(row), threshold, limit + 10)
    dismissed = _dismissed([proposal.pk])
    keep = [c for c in found if (min(c.a, c.b), max(c.a, c.b)) not in dismissed][:limit]
    others = Proposal.objects.in_bulk([c.b for c in keep])
    closed = (ProposalStatus.MERGED.value, ProposalStatus.REJECTED.value)
    return [Candidate(others[c.b], c.score, c.text(),
                      others[c.b].year == proposal.year and others[c.b].status not in closed
                      and proposal.status not in closed)
            for c in keep if c.b in others]


def check_new(government: LocalGovernment, year: int, *, title: str, village_code: str = "", address: str = "",
              estimated_cost: int = 0, description: str = "", sub_activity_code: str = "", agency_code: str = "",
              latitude: float | None = None, longitude: float | None = None, limit: int = 3,
              volume: float = 0.0, wait: bool = True) -> list[Candidate] | None:
    """Existing proposals that look like one being entered (the warning before saving). Without
    `wait` (the entry form), None while the government's index is first being built."""
    live = _live(government, (year - 1, year), wait)
    if live is None:
        return None
    record = ProposalText(key=-1, title=title, description=description, village_code=village_code,
                          address=address, estimated_cost=estimated_cost, sub_activity_code=sub_activity_code,
                          agency_code=agency_code, latitude=latitude, longitude=longitude, year=year,
                          volume=volume)
    found = live.check(record, DEFAULT_THRESHOLD, limit)
    others = Proposal.objects.in_bulk([c.b for c in found])
    return [Candidate(others[c.b], c.score, c.text(), False) for c in found if c.b in others]


def pairs(government: LocalGovernment, year: int, threshold: float = DEFAULT_THRESHOLD) -> list[DuplicateCandidate]:
    """Every candidate pair with at least one proposal of `year` (and the other of it or the year
    before), minus the pairs a person dismissed."""
    index = index_for(government, (year - 1, year))
    found = index.pairs(threshold, years=(year,))
    dismissed = set(NotDuplicate.objects.filter(first__government=government).values_list("first_id", "second_id"))
    return [c for c in found if (min(c.a, c.b), max(c.a, c.b)) not in dismissed]


# --- the two actions ----------------------------------------------------------------------

def merge(user: AnyUser | None, proposal: Proposal, into: Proposal, reason: str = "") -> Decision:
    """Merge `proposal` into `into`: the `merged` decision at the proposal's current stage, citing
    the other proposal (append-only; the proposals' decision service checks scope and rules)."""
    text = f"Digabung dengan usulan {into.number} (usulan ganda)"
    if reason.strip():
        text = f"{text}: {reason.strip()}"
    return proposal_services.decide(user, proposal, stage=Stage(proposal.stage), outcome=Outcome.MERGED,
                                    reason=text, merged_into=into)


def not_duplicate(user: AnyUser | None, proposal: Proposal, other: Proposal, reason: str = "") -> NotDuplicate:
    """Remember that a person judged the two proposals different (idempotent)."""
    if proposal.pk == other.pk or proposal.government_id != other.government_id:
        raise InvalidInput("Usulan tidak dapat dibandingkan.")
    check_can_on(user, "decide", proposal)
    first, second = sorted((proposal.pk, other.pk))
    with transaction.atomic():
        row, _ = NotDuplicate.objects.get_or_create(
            first_id=first, second_id=second,
            defaults={"reason": reason.strip(), "decided_by": user if user is not None and user.is_authenticated
                      else None})
    return row


# --- classification -----------------------------------------------------------------------

def _nomenclature(government: LocalGovernment) -> list[tuple[str, str]]:
    from selaras.web.reference.models import NomenclatureItem

    level = "provinsi" if government.level == "province" else "kab/kota"
    items = NomenclatureItem.objects.filter(edition=government.nomenclature_edition, level="sub_activity",
                                            active=True, government_level__in=(level, ""))
    return list(items.order_by("code").values_list("code", "name"))


def _agencies(government: LocalGovernment) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {a.code: (a.name, tuple(a.sector_codes or ())) for a in Agency.objects.filter(government=government)}


def _agency_districts(government: LocalGovernment) -> dict[str, str]:
    """Agencies bound to one kecamatan (kecamatan offices): code → kecamatan code."""
    return dict(Agency.objects.filter(government=government).exclude(district_code="")
                .values_list("code", "district_code"))


def _train(government: LocalGovernment, examples: list[Example], use_default_kamus: bool) -> Classifier:
    nomenclature = _nomenclature(government)
    shipped = shipped_for((code for code, _ in nomenclature), examples) if use_default_kamus else []
    return Classifier.train([*examples, *shipped], nomenclature, _agencies(government), _agency_districts(government))


def _examples(government: LocalGovernment, before_year: int | None) -> tuple[list[Example], list[int]]:
    rows = Proposal.objects.filter(government=government, agency__isnull=False).exclude(sub_activity_code="")
    rows = rows.exclude(status=ProposalStatus.REJECTED.value)
    if before_year is not None:
        rows = rows.filter(year__lt=before_year)
    data = list(rows.values_list("title", "agency__code", "sub_activity_code", "year"))
    return [Example(t, a, s) for t, a, s, _ in data], sorted({y for *_, y in data})


def retrain(government: LocalGovernment, before_year: int | None = None,
            kamus: Iterable[Example] = (), use_default_kamus: bool = True) -> TrainedClassifier:
    """Train the government's model from its decided proposals (of years before `before_year`
    when given), its kamus usulan entries (`kamus`: text, agency and sub-activity codes), the
    kamus shipped with Selaras (entries of sub-activities in force; `use_default_kamus`), its
    agencies and the nomenclature in force; store it."""
    examples, years = _examples(government, before_year)
    model = _train(government, [*examples, *kamus], use_default_kamus)
    row = TrainedClassifier.objects.create(government=government, examples=len(examples), years=years,
                                           model=model.to_bytes())
    with _lock:
        for k in [k for k in _classifiers if k[0] == government.pk]:
            del _classifiers[k]
    return row


def classifier_for(government: LocalGovernment) -> Classifier:
    """The latest stored model, or one built from the nomenclature and agencies alone (a
    government with no history and no training yet still gets sub-activity suggestions)."""
    stored = TrainedClassifier.objects.filter(government=government).values_list("pk", flat=True).first()
    key = (government.pk, stored, Agency.objects.filter(government=government).count())
    with _lock:
        found = _classifiers.get(key)
    if found is not None:
        return found
    if stored is not None:
        blob = TrainedClassifier.objects.values_list("model", flat=True).get(pk=stored)
        model = Classifier.from_bytes(bytes(blob))
    else:
        model = _train(government, [], True)
    with _lock:
        _classifiers[key] = model
    return model


def suggest(government: LocalGovernment, text: str, district_code: str = "") -> Suggestion:
    """Top three agencies and sub-activities for `text` (of a proposal in kecamatan
    `district_code` when known; empty for an empty or meaningless text)."""
    return classifier_for(government).suggest(text, district_code=district_code)


# --- the import's review ------------------------------------------------------------------

#: Rows of one import shown with suggestions (the rest are counted; the proposal list has them all).
IMPORT_REVIEW_ROWS = 100


@dataclass(frozen=True)
class ReviewRow:
    """An imported proposal lacking an agency or a sub-activity, with the top suggestion for what
    it lacks (None when it has it, or when its title says nothing)."""

    proposal: Proposal
    agency: Choice | None
    sub_activity: Choice | None


@dataclass(frozen=True)
class ImportReview:
    rows: list[ReviewRow]
    lacking: int  # imported proposals without an agency or a sub-activity
    imported: int


def import_review(government: LocalGovernment, *, year: int, channel: str, first_number: str, last_number: str,
                  limit: int = IMPORT_REVIEW_ROWS) -> ImportReview:
    """Suggestions for the proposals one bulk import stored (numbers `first_number`..`last_number`
    of one series: the import reserves the whole range in its transaction) that lack an agency or
    a sub-activity. Advisory only: nothing is written."""
    if not first_number or not last_number:
        return ImportReview([], 0, 0)
    imported = Proposal.objects.filter(government=government, year=year, channel=channel,
                                       number__gte=first_number, number__lte=last_number)
    lacking = imported.filter(Q(agency__isnull=True) | Q(sub_activity_code=""))
    model = classifier_for(government)
    rows = []
    for p in lacking.order_by("number")[:limit]:
        s = model.suggest(p.title, k=1, district_code=p.district_code)
        rows.append(ReviewRow(p, s.agencies[0] if p.agency_id is None and s.agencies else None,
                              s.sub_activities[0] if not p.sub_activity_code and s.sub_activities else None))
    return ImportReview(rows, lacking.count(), imported.count())
