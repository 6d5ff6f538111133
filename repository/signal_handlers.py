from lms.accounts.models import Role
from repository.services import AUTHOR_ROLES, sync_authoring_groups


def on_membership_changed(sender, membership, actor=None, **kwargs):
    """Teachers, group heads and school admins get their school's authoring permissions."""
    if membership.role in AUTHOR_ROLES or membership.role == Role.SCHOOL_ADMIN:
        if membership.organisation.unit_type.is_school:
            sync_authoring_groups(membership.user, membership.organisation)


def on_material_published(sender, instance, **kwargs):
    from repository.models.materials import MaterialPage
    from repository.services import sync_video_publication

    if isinstance(instance, MaterialPage):
        sync_video_publication(instance)
