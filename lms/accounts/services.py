"""Actions on accounts and memberships: permission check, transaction, audit log.

Admin views, the demo loader and imports call these; none repeats them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from lms import access
from lms.accounts.models import ADMIN_ROLES, Membership, Role, User
from lms.accounts.signals import membership_changed
from lms.curriculum.models import Subject
from lms.orgs.models import Organisation, SchoolClass
from lms.text import nfc

# Roles that work in the Wagtail admin (authoring, reviewing, administering).
ADMIN_ACCESS_ROLES = (Role.TEACHER, Role.GROUP_HEAD, Role.REVIEWER, *ADMIN_ROLES)


def role_group_name(role: str) -> str:
    return f"lms:{role}"


def _access_admin_permission() -> Permission:
    """Wagtail's "access admin" permission. Wagtail creates it in a data migration, so a flushed
    database (``manage.py flush``, transactional tests) lacks it: recreate it as Wagtail does."""
    from django.contrib.contenttypes.models import ContentType

    admin_type, _created = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    permission, _created = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    return permission


def ensure_role_groups() -> dict[str, Group]:
    """One Django group per role; staff roles get access to the Wagtail admin. Idempotent."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # Our post_migrate handler may run before auth has created the curriculum app's permissions.
    create_permissions(apps.get_app_config("curriculum"), verbosity=0)
    access_admin = _access_admin_permission()
    curriculum_editing = Permission.objects.filter(
        content_type__app_label="curriculum",
        codename__in=[
            f"{verb}_{model}" for verb in ("add", "change", "delete", "view") for model in ("topic", "outcome")
        ]
        + ["view_subject", "view_subjectoffering"],
    )
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role_group_name(role))
        if role in ADMIN_ACCESS_ROLES:
            group.permissions.add(access_admin)
        if role == Role.MINISTRY_ADMIN:
            group.permissions.add(*curriculum_editing)
        groups[role] = group
    return groups


def sync_role_groups(user: User) -> None:
    """Make a user's Django groups mirror their active roles."""
    wanted = {role_group_name(r) for r in Membership.objects.active().filter(user=user).values_list("role", flat=True)}
    role_groups = Group.objects.filter(name__startswith="lms:")
    user.groups.remove(*[g for g in role_groups if g.name not in wanted])
    user.groups.add(*[g for g in role_groups if g.name in wanted])


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    password: str | None = None,
    email: str = "",
    personal_id: str | None = None,
) -> User:
    user = User(username=username.strip(), full_name=nfc(full_name.strip()), email=email, personal_id=personal_id)
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    log(instance=user, action="lms.user.create", user=actor)
    return user


@transaction.atomic
def grant_membership(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    role: str,
    subjects: list[Subject] | None = None,
    school_class: SchoolClass | None = None,
) -> Membership:
    """Give ``user`` a role in ``organisation``. ``actor=None`` means the system (loaders, migrations)."""
    membership = Membership(user=user, organisation=organisation, role=role, school_class=school_class)
    if actor is not None and not access.can(actor, "membership.grant", membership):
        raise PermissionDenied("You may not grant this role in this organisation.")
    membership.full_clean(exclude=["user", "organisation"], validate_unique=False)
    existing = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if existing:
        existing.is_active = True
        existing.school_class = school_class
        existing.save(update_fields=["is_active", "school_class"])
        membership = existing
    else:
        membership.save()
    if subjects is not None:
        membership.subjects.set(subjects)
    sync_role_groups(user)
    membership_changed.send(sender=Membership, membership=membership, actor=actor)
    log(
        instance=membership,
        action="lms.membership.grant",
        user=actor,
        data={"role": role, "organisation": organisation.code},
    )
    return membership


@transaction.atomic
def revoke_membership(*, actor: User | None, membership: Membership) -> None:
    if actor is not None and not access.can(actor, "membership.grant", membership):
        raise PermissionDenied("You may not revoke this role.")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    sync_role_groups(membership.user)
    membership_changed.send(sender=Membership, membership=membership, actor=actor)
    log(
        instance=membership,
        action="lms.membership.revoke",
        user=actor,
        data={"role": membership.role, "organisation": membership.organisation.code},
    )
