"""The proposal page shows sections of apps above proposals through a registry (layers stay acyclic)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from selaras.web.proposals.sections import detail_sections_context

pytestmark = pytest.mark.django_db


def test_the_selection_app_adds_its_outcome_section() -> None:
    # no proposal 0: no outcome, the section shows nothing
    context = detail_sections_context(SimpleNamespace(pk=0, number="X-0"))
    assert context["detail_sections"] == ["selection/proposal_section.html", "suggestions/_detail_section.html"]
    assert context["selection_reason"] is None
    assert context["suggestions_number"] == "X-0"
