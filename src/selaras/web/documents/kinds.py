"""The document kinds Selaras produces, registered in the catalogue (imported from AppConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from selaras.domain.roles import Role
from selaras.formats.documents.model import Document
from selaras.web.documents.builders import district, evaluation, plans
from selaras.web.documents.catalogue import DocKind, ScopeKind, register
from selaras.web.plans.models import LocalGovernment


def _td4(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
    return district.build_td4(government, year, scope, day=day)


def _district_minutes(government: LocalGovernment, year: int, scope: Any, version: int | None,
                      day: dt.date) -> Document:
    return district.build_district_minutes(government, year, scope, day=day)


def _forum_minutes(government: LocalGovernment, year: int, scope: Any, version: int | None,
                   day: dt.date) -> Document:
    return district.build_forum_minutes(government, year, scope, day=day)


register(DocKind("td4", "T-D.4", "Prioritas kegiatan kecamatan hasil Musrenbang Kecamatan", ScopeKind.DISTRICT,
                 _td4, group="Musrenbang dan forum"))
register(DocKind("ba_musrenbang_kecamatan", "BA", "Berita acara Musrenbang Kecamatan", ScopeKind.DISTRICT,
                 _district_minutes, group="Musrenbang dan forum"))
register(DocKind("ba_forum_pd", "BA", "Berita acara Forum Perangkat Daerah", ScopeKind.AGENCY, _forum_minutes,
                 group="Musrenbang dan forum"))

_BUDGET = frozenset({Role.BUDGET_TEAM})


plans.register_kinds(register, _BUDGET)
evaluation.register_kinds(register, _BUDGET)
