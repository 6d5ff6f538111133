from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_levels(sender, **kwargs):
    # Also after a test flush, which empties tables without re-running data migrations.
    from question_bank.levels import ensure_default_levels

    ensure_default_levels()


class QuestionBankConfig(AppConfig):
    name = "question_bank"
    verbose_name = _("Question bank")

    def ready(self) -> None:
        # Registering access rules; nothing is read or run here.
        from question_bank import access  # noqa: F401

        post_migrate.connect(_ensure_levels, sender=self)
