from typing import Any

from django.apps import AppConfig


class Config(AppConfig):
    """Advisory suggestions: duplicate candidates between proposals and classification of a proposal to agency and sub-activity. Never changes a proposal without a person's action."""

    name = "selaras.web.suggestions"
    label = "suggestions"
    verbose_name = "Saran"

    def ready(self) -> None:
        from selaras.web.proposals.sections import DetailSection, register_detail_section

        def context(proposal: Any) -> dict[str, Any]:
            return {"suggestions_number": proposal.number}

        register_detail_section(DetailSection("suggestions/_detail_section.html", context))
