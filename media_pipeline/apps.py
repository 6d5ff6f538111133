from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Lecture media")

    def ready(self) -> None:
        # Registering access rules, signal handlers and checks; nothing is read or run here.
        from media_pipeline import access, checks, signals  # noqa: F401

        signals.connect()
