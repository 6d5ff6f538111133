from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Connecting signal handlers and registering checks; nothing is read or run here.
        from search import checks, signals  # noqa: F401

        signals.connect()
