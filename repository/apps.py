from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepositoryConfig(AppConfig):
    name = "repository"
    verbose_name = _("Learning materials library")

    def ready(self):
        from lms.accounts.signals import membership_changed
        from repository import rules  # noqa: F401  (registers access rules)
        from repository.signal_handlers import on_membership_changed

        membership_changed.connect(on_membership_changed, dispatch_uid="repository.authoring_groups")
