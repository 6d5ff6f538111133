from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepositoryConfig(AppConfig):
    name = "repository"
    verbose_name = _("Learning materials library")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from lms.accounts.signals import membership_changed
        from repository import rules  # noqa: F401  (registers access rules)
        from repository.signal_handlers import on_material_published, on_membership_changed

        membership_changed.connect(on_membership_changed, dispatch_uid="repository.authoring_groups")
        # Any page class: the handler keeps to materials (page_published is sent with the specific class).
        page_published.connect(on_material_published, dispatch_uid="repository.video_publication")
        page_unpublished.connect(on_material_published, dispatch_uid="repository.video_unpublication")
