from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from lms.core import checks  # noqa: F401  (registers system checks)
