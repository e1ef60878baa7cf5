"""Suggestions for proposals: duplicate candidates and classification, and the two actions.

Advisory only: nothing here changes a proposal. The merge goes through the proposals' own
decision service (`merged`, append-only, citing the other proposal) and "not a duplicate" is a
row of its own; both need a person's request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from selaras.domain.errors import InvalidInput
from selaras.domain.proposals import Outcome, ProposalStatus, Stage
from selaras.engines.similarity.classify import Classifier, Example, Suggestion
from selaras.engines.similarity.duplicates import (
    DEFAULT_THRESHOLD,
    DuplicateCandidate,
    DuplicateIndex,
    ProposalText,
)
from selaras.web.http import AnyUser
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals import services as proposal_services
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.proposals.permissions import check_can_on
from selaras.web.suggestions.models import NotDuplicate, TrainedClassifier

__all__ = [
    "Candidate", "candidates_for", "check_new", "classifier_for", "merge", "not_duplicate", "pairs", "retrain",
    "suggest",
]

_FIELDS = ("pk", "title", "description", "village_code", "district_code", "address", "latitude", "longitude",
           "agency__code", "sub_activity_code", "estimated_cost", "year", "channel")
#: Proposals no longer open to a merge are still compared (a re-submission of a rejected one is news).
_lock = threading.Lock()
_indexes: dict[tuple[Any, ...], DuplicateIndex] = {}
_classifiers: dict[tuple[Any, ...], Classifier] = {}


def _record(row: dict[str, Any]) -> ProposalText:
    return ProposalText(
        key=row["pk"], title=row["title"], description=row["description"], village_code=row["village_code"],
        district_code=row["district_code"], address=row["address"],
        latitude=float(row["latitude"]) if row["latitude"] is not None else None,
        longitude=float(row["longitude"]) if row["longitude"] is not None else None,
        agency_code=row["agency__code"] or "", sub_activity_code=row["sub_activity_code"],
        estimated_cost=int(row["estimated_cost"] or 0), year=row["year"], channel=row["channel"])


def index_for(government: LocalGovernment | int, years: Iterable[int]) -> DuplicateIndex:
    """The duplicate index of a government's proposals of `years`, kept in memory while its rows
    are unchanged (count and newest id; a corrected title is picked up at the next new entry)."""
    gid = government if isinstance(government, int) else government.pk
    wanted = tuple(sorted(set(years)))
    rows = Proposal.objects.filter(government_id=gid, year__in=wanted)
    stats = rows.aggregate(n=Max("id"))
    key = (gid, wanted, rows.count(), stats["n"])
    with _lock:
        found = _indexes.get(key)
    if found is not None:
        return found
    index = DuplicateIndex.build(_record(r) for r in rows.order_by("id").values(*_FIELDS))
    with _lock:
        for old in [k for k in _indexes if k[:2] == key[:2]]:
            del _indexes[old]
        _indexes[key] = index
    return index


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
    index = index_for(proposal.government_id, (proposal.year - 1, proposal.year))
    row = Proposal.objects.filter(pk=proposal.pk).values(*_FIELDS).first()
    if row is None:
        return []
    found = index.check(_record(row), threshold=threshold, limit=limit + 10)
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
              latitude: float | None = None, longitude: float | None = None, limit: int = 3) -> list[Candidate]:
    """Existing proposals that look like one being entered (the warning before saving)."""
    index = index_for(government, (year - 1, year))
    record = ProposalText(key=-1, title=title, description=description, village_code=village_code,
                          address=address, estimated_cost=estimated_cost, sub_activity_code=sub_activity_code,
                          agency_code=agency_code, latitude=latitude, longitude=longitude, year=year)
    found = index.check(record, limit=limit)
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


def _examples(government: LocalGovernment, before_year: int | None) -> tuple[list[Example], list[int]]:
    rows = Proposal.objects.filter(government=government, agency__isnull=False).exclude(sub_activity_code="")
    rows = rows.exclude(status=ProposalStatus.REJECTED.value)
    if before_year is not None:
        rows = rows.filter(year__lt=before_year)
    data = list(rows.values_list("title", "agency__code", "sub_activity_code", "year"))
    return [Example(t, a, s) for t, a, s, _ in data], sorted({y for *_, y in data})


def retrain(government: LocalGovernment, before_year: int | None = None,
            kamus: Iterable[Example] = ()) -> TrainedClassifier:
    """Train the government's model from its decided proposals (of years before `before_year`
    when given), its kamus usulan entries (`kamus`: text, agency and sub-activity codes), its
    agencies and the nomenclature in force; store it."""
    examples, years = _examples(government, before_year)
    model = Classifier.train([*examples, *kamus], _nomenclature(government), _agencies(government))
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
        model = Classifier.train([], _nomenclature(government), _agencies(government))
    with _lock:
        _classifiers[key] = model
    return model


def suggest(government: LocalGovernment, text: str) -> Suggestion:
    """Top three agencies and sub-activities for `text` (empty for an empty or meaningless text)."""
    return classifier_for(government).suggest(text)
