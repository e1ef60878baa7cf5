"""Sections that apps above proposals add to the proposal page (e.g. the selection outcome).

Why a registry: selection reads proposals, so the proposals app may not import selection (the web
apps form layers, see the import-linter contract). An app higher up registers its section from its
`AppConfig.ready`; the page includes every registered template with the values the section gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["DetailSection", "register_detail_section", "detail_sections_context"]


@dataclass(frozen=True)
class DetailSection:
    """A template included in the proposal page and the context values it reads (by proposal)."""

    template: str
    context: Callable[[Any], dict[str, Any]]


_SECTIONS: dict[str, DetailSection] = {}


def register_detail_section(section: DetailSection) -> None:
    """Add (or replace, keyed by template) a section of the proposal page."""
    _SECTIONS[section.template] = section


def detail_sections_context(proposal: Any) -> dict[str, Any]:
    """The context the page needs for its sections: `detail_sections` (templates, in order of
    registration) and every value the sections read."""
    context: dict[str, Any] = {"detail_sections": [s.template for s in _SECTIONS.values()]}
    for section in _SECTIONS.values():
        context.update(section.context(proposal))
    return context
