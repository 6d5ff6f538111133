"""Who may see and do what: the one place the platform core decides access.

Two kinds of question, answered here and nowhere else:

* "what may this user see": ``visible_organisations(user)``, ``visible_users(user)`` —
  querysets to filter every list that reaches a user;
* "may this user do X to Y": ``can(user, action, obj)``, with rules registered per
  action, and ``get_object_or_404_for(user, action, queryset, **lookup)``, which
  answers the same 404 for "missing" and "not yours" so ids cannot be probed.

Domain apps register their own rules with ``@rule("material.edit")``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from lms.accounts.models import ADMIN_ROLES, Membership, Role, User
from lms.orgs.models import Organisation, ancestor_paths

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}
_PUBLIC_ACTIONS: set[str] = set()

_ROLE_RANK = {
    Role.STUDENT: 0,
    Role.TEACHER: 1,
    Role.GROUP_HEAD: 2,
    Role.REVIEWER: 2,
    Role.SCHOOL_ADMIN: 3,
    Role.PROVINCE_ADMIN: 4,
    Role.MINISTRY_ADMIN: 5,
}


def rule(action: str, *, anonymous: bool = False) -> Callable[[Rule], Rule]:
    """Register the rule deciding ``action``; one rule per action.

    Rules are asked only about active, signed-in users unless ``anonymous=True``
    (for things the public may see, such as nationally shared materials).
    """

    def decorator(func: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not func:
            raise ValueError(f"Access rule {action!r} is already registered.")
        _RULES[action] = func
        if anonymous:
            _PUBLIC_ACTIONS.add(action)
        return func

    return decorator


def can(user, action: str, obj: Any = None) -> bool:
    signed_in = user is not None and user.is_authenticated and user.is_active
    if not signed_in and action not in _PUBLIC_ACTIONS:
        if action not in _RULES:
            raise LookupError(f"No access rule registered for {action!r}.")
        return False
    if signed_in and user.is_superuser:
        return True
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"No access rule registered for {action!r}.") from None
    return bool(check(user, obj))


def get_object_or_404_for(user, action: str, queryset: QuerySet, **lookup) -> Model:
    """Fetch one object the user may act on, or 404 — the same for missing and forbidden."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(user, action, obj):
        raise Http404
    return obj


# --- Memberships, cached per request on the user object ---------------------


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_lms_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("organisation", "organisation__unit_type", "school_class")
            .prefetch_related("subjects")
        )
        user._lms_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def primary_role(user) -> str | None:
    """The highest role a user holds, which picks their home page."""
    held = roles(user)
    if not held:
        return None
    return max(held, key=lambda r: _ROLE_RANK[Role(r)])


def _subtree_q(orgs: list[Organisation], field: str = "") -> Q:
    prefix = f"{field}__" if field else ""
    if not orgs:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": org.path}) for org in orgs))


def administered_roots(user) -> list[Organisation]:
    return [m.organisation for m in memberships(user) if m.role in ADMIN_ROLES]


def reviewed_roots(user) -> list[Organisation]:
    return [m.organisation for m in memberships(user) if m.role == Role.REVIEWER]


def schools_of(user, *, roles_in: tuple[str, ...] | None = None) -> list[Organisation]:
    return [
        m.organisation
        for m in memberships(user)
        if m.organisation.unit_type.is_school and (roles_in is None or m.role in roles_in)
    ]


def is_under(org: Organisation, roots: list[Organisation]) -> bool:
    return any(org.path.startswith(root.path) for root in roots)


# --- What may this user see -------------------------------------------------


def visible_organisations(user) -> QuerySet[Organisation]:
    """Their own organisations with the ancestors above them, and whole subtrees they administer or review."""
    qs = Organisation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    own = [m.organisation for m in memberships(user)]
    if not own:
        return qs.none()
    return qs.filter(
        Q(path__in=ancestor_paths(org.path for org in own))
        | _subtree_q(administered_roots(user) + reviewed_roots(user))
    )


def visible_users(user) -> QuerySet[User]:
    """Administrators see everyone in their subtree; school staff see their school; others only themselves."""
    qs = User.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(pk=user.pk)
    admin_roots = administered_roots(user)
    if admin_roots:
        condition |= Q(
            pk__in=Membership.objects.active().filter(_subtree_q(admin_roots, "organisation")).values("user")
        )
    staff_schools = schools_of(user, roles_in=(Role.TEACHER, Role.GROUP_HEAD))
    if staff_schools:
        condition |= Q(pk__in=Membership.objects.active().filter(organisation__in=staff_schools).values("user"))
    return qs.filter(condition).distinct()


# --- Rules of the platform core ----------------------------------------------


@rule("org.view")
def _org_view(user, org: Organisation) -> bool:
    return visible_organisations(user).filter(pk=org.pk).exists()


@rule("org.manage")
def _org_manage(user, org: Organisation) -> bool:
    return is_under(org, administered_roots(user))


@rule("user.view")
def _user_view(user, target: User) -> bool:
    return visible_users(user).filter(pk=target.pk).exists()


@rule("user.manage")
def _user_manage(user, target: User) -> bool:
    """An administrator manages an account when every one of its memberships is in their subtree."""
    if target.pk == user.pk:
        return True
    if target.is_superuser:
        return False
    roots = administered_roots(user)
    if not roots:
        return False
    target_memberships = list(Membership.objects.filter(user=target).select_related("organisation"))
    if not target_memberships:
        return False
    own_rank = max(_ROLE_RANK[Role(m.role)] for m in memberships(user) if m.role in ADMIN_ROLES)
    return all(is_under(m.organisation, roots) and _ROLE_RANK[Role(m.role)] < own_rank for m in target_memberships)


@rule("membership.grant")
def _membership_grant(user, membership: Membership) -> bool:
    """Grant a role in an organisation: only below one's own rank, only inside one's subtree."""
    best = 0
    for m in memberships(user):
        if m.role in ADMIN_ROLES and membership.organisation.path.startswith(m.organisation.path):
            best = max(best, _ROLE_RANK[Role(m.role)])
    return best > _ROLE_RANK[Role(membership.role)]


@rule("curriculum.edit")
def _curriculum_edit(user, obj) -> bool:
    return Role.MINISTRY_ADMIN in roles(user)
