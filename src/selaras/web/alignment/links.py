"""Where each finding's line is read or edited: the plan editor pages under /penyusunan/ (and a
proposal's page under /usulan/), never the admin.

The editor opens a document for every member of its government (read only when the member may
not edit it) and for staff; a link is made only to documents of the report's government, and to
proposals the user may see. A line is found in its document with the editor's search (`?cari=`
code). One query per kind of line, whatever the number of findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, Q
from django.urls import reverse

from selaras.web.alignment.selectors import FindingRow
from selaras.web.http import AnyUser
from selaras.web.plans import models as m
from selaras.web.proposals.selectors import visible

__all__ = ["with_links"]

_CHUNK = 500  # ids per query: SQLite limits the parameters of one statement

#: line kind -> (document kind, model, lookup of its government, fields: the document's id[, search term])
_DOCUMENT_OF: dict[str, tuple[str, type[Model], str, tuple[str, ...]]] = {
    "renja_line": ("renja", m.RenjaLine, "renja__rkpd__government", ("renja_id", "code")),
    "renja": ("renja", m.AgencyAnnualPlan, "rkpd__government", ("id",)),
    "renstra_line": ("renstra", m.RenstraLine, "renstra__agency__government", ("renstra_id", "code")),
    "renstra_objective": ("renstra", m.RenstraObjective, "goal__renstra__agency__government", ("goal__renstra_id",)),
    "objective": ("rpjmd", m.Objective, "goal__mission__rpjmd__government", ("goal__mission__rpjmd_id",)),
    "rkpd": ("rkpd", m.AnnualPlan, "government", ("id",)),
    "priority_program": ("rkpd", m.PriorityProgram, "rkpd__government", ("rkpd_id",)),
}
#: An indicator belongs to an RPJPD, an RPJMD (directly or through an objective) or a Renstra.
_INDICATOR_DOCUMENTS = (("rpjpd", "long_term_plan_id"), ("rpjmd", "rpjmd_id"),
                        ("rpjmd", "objective__goal__mission__rpjmd_id"), ("renstra", "renstra_objective__goal__renstra_id"))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _editor(kind: str, pk: int, term: str = "") -> str:
    url = reverse("planning:document", args=[kind, pk])
    return f"{url}?{urlencode({'cari': term})}" if term else url


def _document_links(kind: str, ids: list[int], government: m.LocalGovernment) -> dict[int, str]:
    document_kind, model, government_lookup, fields = _DOCUMENT_OF[kind]
    links = {}
    for chunk in _chunks(ids):
        rows = model._default_manager.filter(pk__in=chunk, **{government_lookup: government}).values_list(
            "pk", *fields)
        for pk, document_id, *term in rows:
            if document_id is not None:
                links[pk] = _editor(document_kind, document_id, term[0] if term else "")
    return links


def _indicator_links(ids: list[int], government: m.LocalGovernment) -> dict[int, str]:
    links = {}
    fields = [field for _kind, field in _INDICATOR_DOCUMENTS]
    own = (Q(long_term_plan__government=government) | Q(rpjmd__government=government)
           | Q(objective__goal__mission__rpjmd__government=government)
           | Q(renstra_objective__goal__renstra__agency__government=government))
    for chunk in _chunks(ids):
        for pk, *documents in m.Indicator.objects.filter(own, pk__in=chunk).values_list("pk", *fields):
            for (kind, _field), document_id in zip(_INDICATOR_DOCUMENTS, documents, strict=True):
                if document_id is not None:
                    links[pk] = _editor(kind, document_id)
                    break
    return links


def _proposal_links(ids: list[int], user: AnyUser) -> dict[int, str]:
    links = {}
    for chunk in _chunks(ids):
        for pk, number in visible(user).filter(pk__in=chunk).values_list("pk", "number"):
            links[pk] = reverse("proposals:detail", args=[number])
    return links


def _links(refs: Iterable[str], user: AnyUser, government: m.LocalGovernment) -> dict[str, str]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for line_ref in refs:
        kind, _, number = line_ref.partition(":")
        if number.isdigit():
            wanted[kind].add(int(number))
    links: dict[str, str] = {}
    for kind, id_set in wanted.items():
        ids = sorted(id_set)
        by_id: dict[int, str]
        if kind in _DOCUMENT_OF:
            by_id = _document_links(kind, ids, government)
        elif kind == "indicator":
            by_id = _indicator_links(ids, government)
        elif kind == "proposal":
            by_id = _proposal_links(ids, user)
        else:
            continue
        links.update({f"{kind}:{pk}": url for pk, url in by_id.items()})
    return links


def with_links(rows: list[FindingRow], user: AnyUser, government: Any) -> list[FindingRow]:
    """`rows` with `link` set to the page where the user reads (or edits) the offending line."""
    links = _links({row.finding.location.line for row in rows}, user, government)
    return [replace(row, link=links.get(row.finding.location.line, "")) for row in rows]
