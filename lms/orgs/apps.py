from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_unit_types(sender, **kwargs):
    # Also after a test flush, which empties tables without re-running data migrations.
    from lms.orgs.defaults import ensure_default_unit_types

    ensure_default_unit_types()


class OrgsConfig(AppConfig):
    name = "lms.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        post_migrate.connect(_ensure_unit_types, sender=self)
