from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Online classes")

    def ready(self):
        from courses import access, kinds  # noqa: F401  (registers access rules and item kinds)
