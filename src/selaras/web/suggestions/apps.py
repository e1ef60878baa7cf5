from django.apps import AppConfig


class Config(AppConfig):
    """Advisory suggestions: duplicate candidates between proposals and classification of a proposal to agency and sub-activity. Never changes a proposal without a person's action."""

    name = "selaras.web.suggestions"
    label = "suggestions"
    verbose_name = "Saran"
