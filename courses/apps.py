from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Online classes")

    def ready(self):
        # access rules, item kinds, and the quiz grades' feed into the grade book
        from courses import access, kinds, quiz_feed  # noqa: F401
