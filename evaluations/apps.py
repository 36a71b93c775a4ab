from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Mass evaluation (群众评议): rounds, questionnaires, one-time codes, anonymous responses."""

    name = "evaluations"
    verbose_name = _("Mass evaluation")

    def ready(self):
        from . import signals  # noqa: F401
