from django.apps import AppConfig


class Config(AppConfig):
    name = "selaras.web.selection"
    label = "selection"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Show each proposal's selection outcome on its page (proposals may not import selection);
        register the selection jobs."""
        from selaras.web.proposals.sections import DetailSection, register_detail_section
        from selaras.web.selection import jobs  # noqa: F401  (registers the handlers)
        from selaras.web.selection.selectors import reason_for_proposal

        register_detail_section(DetailSection(
            "selection/proposal_section.html",
            lambda proposal: {"selection_reason": reason_for_proposal(proposal)},
        ))
