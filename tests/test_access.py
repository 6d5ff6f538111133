"""The permission helpers, with the standing cast: who may see and do what, and who may not."""

import pytest
from django.http import Http404

from lms import access
from lms.accounts.models import Membership, Role, User
from lms.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def visible_codes(user):
    return set(access.visible_organisations(user).values_list("code", flat=True))


def visible_usernames(user):
    return set(access.visible_users(user).values_list("username", flat=True))


def test_school_members_see_their_school_and_its_ancestors_only(cast):
    for user in (cast.student, cast.teacher, cast.group_head, cast.school_admin):
        assert visible_codes(user) == {"T-BO", "T-01", "T-01-CG", "T-AD"}, user.username


def test_province_admin_and_reviewer_see_their_whole_province_but_not_another(cast):
    for user in (cast.province_admin, cast.reviewer):
        codes = visible_codes(user)
        assert {"T-01", "T-01-CG", "T-AD"} <= codes
        assert not codes & {"T-15", "T-15-BX", "T-BX"}


def test_ministry_admin_sees_every_organisation(cast):
    assert visible_codes(cast.ministry_admin) == set(Organisation.objects.values_list("code", flat=True))


def test_outsider_sees_nothing_of_the_first_school(cast):
    for user in (cast.outsider, cast.outsider_student, cast.outsider_admin):
        assert "T-AD" not in visible_codes(user)
        assert not visible_usernames(user) & {"hs", "gv", "tt", "qtt"}
        assert not access.can(user, "org.view", cast.school)
        assert not access.can(user, "user.view", cast.student)


def test_user_without_membership_or_anonymous_sees_nothing(cast, client):
    assert visible_codes(cast.nobody) == set()
    assert visible_usernames(cast.nobody) == {"nobody"}
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not access.visible_organisations(anonymous).exists()
    assert not access.visible_users(anonymous).exists()
    assert not access.can(anonymous, "org.view", cast.school)


def test_student_sees_only_themselves(cast):
    assert visible_usernames(cast.student) == {"hs"}


def test_teachers_see_the_people_of_their_own_school(cast):
    assert visible_usernames(cast.teacher) == {"hs", "gv", "tt", "qtt"}


def test_admins_see_people_in_their_subtree(cast):
    assert {"hs", "gv", "tt", "qtt", "td"} <= visible_usernames(cast.province_admin)
    assert "gv-bx" not in visible_usernames(cast.province_admin)
    assert visible_usernames(cast.school_admin) == {"hs", "gv", "tt", "qtt"}


def test_org_manage_follows_the_administered_subtree(cast):
    assert access.can(cast.school_admin, "org.manage", cast.school)
    assert not access.can(cast.school_admin, "org.manage", cast.ward)
    assert access.can(cast.province_admin, "org.manage", cast.school)
    assert not access.can(cast.province_admin, "org.manage", cast.other_school)
    assert access.can(cast.ministry_admin, "org.manage", cast.other_school)
    for user in (cast.teacher, cast.group_head, cast.reviewer, cast.student, cast.outsider_admin):
        assert not access.can(user, "org.manage", cast.school), user.username


def test_user_manage_only_below_ones_rank_and_inside_ones_subtree(cast):
    assert access.can(cast.school_admin, "user.manage", cast.teacher)
    assert access.can(cast.school_admin, "user.manage", cast.student)
    assert not access.can(cast.school_admin, "user.manage", cast.province_admin)
    assert not access.can(cast.school_admin, "user.manage", cast.reviewer)  # a province-level role
    assert access.can(cast.province_admin, "user.manage", cast.reviewer)
    assert not access.can(cast.outsider_admin, "user.manage", cast.student)
    assert not access.can(cast.teacher, "user.manage", cast.student)


def test_granting_roles_is_limited_to_lower_roles_in_ones_subtree(cast):
    def grant(actor, org, role):
        return access.can(actor, "membership.grant", Membership(user=cast.nobody, organisation=org, role=role))

    assert grant(cast.school_admin, cast.school, Role.TEACHER)
    assert not grant(cast.school_admin, cast.school, Role.SCHOOL_ADMIN)
    assert not grant(cast.school_admin, cast.other_school, Role.TEACHER)
    assert grant(cast.province_admin, cast.school, Role.SCHOOL_ADMIN)
    assert not grant(cast.province_admin, cast.province, Role.PROVINCE_ADMIN)
    assert grant(cast.ministry_admin, cast.province, Role.PROVINCE_ADMIN)
    assert not grant(cast.teacher, cast.school, Role.STUDENT)


def test_grant_action_refuses_and_saves_nothing(cast):
    from django.core.exceptions import PermissionDenied

    from lms.accounts.services import grant_membership

    with pytest.raises(PermissionDenied):
        grant_membership(actor=cast.outsider_admin, user=cast.nobody, organisation=cast.school, role=Role.TEACHER)
    assert not Membership.objects.filter(user=cast.nobody).exists()


def test_get_object_or_404_for_is_the_same_for_missing_and_forbidden(cast):
    qs = Organisation.objects.all()
    assert access.get_object_or_404_for(cast.teacher, "org.view", qs, pk=cast.school.pk) == cast.school
    with pytest.raises(Http404):
        access.get_object_or_404_for(cast.outsider, "org.view", qs, pk=cast.school.pk)
    with pytest.raises(Http404):
        access.get_object_or_404_for(cast.outsider, "org.view", qs, pk=10**9)
    with pytest.raises(Http404):
        access.get_object_or_404_for(cast.outsider, "org.view", qs, pk="not-a-number")


def test_superuser_may_do_anything_and_unknown_actions_are_programming_errors(cast):
    root = User.objects.create_superuser(username="root", password="x")
    assert access.can(root, "org.manage", cast.other_school)
    with pytest.raises(LookupError):
        access.can(cast.teacher, "no.such.action", None)


def test_primary_role_picks_the_highest(cast):
    from lms.accounts.services import grant_membership

    grant_membership(actor=None, user=cast.teacher, organisation=cast.school, role=Role.SCHOOL_ADMIN)
    fresh = User.objects.get(pk=cast.teacher.pk)
    assert access.primary_role(fresh) == Role.SCHOOL_ADMIN
    assert access.primary_role(cast.student) == Role.STUDENT
    assert access.primary_role(cast.nobody) is None


def test_revoked_membership_no_longer_grants_access(cast):
    from lms.accounts.services import revoke_membership

    membership = Membership.objects.get(user=cast.school_admin)
    revoke_membership(actor=cast.province_admin, membership=membership)
    fresh = User.objects.get(pk=cast.school_admin.pk)
    assert not access.can(fresh, "org.manage", cast.school)
    assert not fresh.groups.filter(name="lms:school_admin").exists()


def test_membership_roles_must_fit_the_organisation_kind(cast):
    from django.core.exceptions import ValidationError

    from lms.accounts.services import grant_membership

    with pytest.raises(ValidationError):
        grant_membership(actor=None, user=cast.nobody, organisation=cast.province, role=Role.STUDENT)
    with pytest.raises(ValidationError):
        grant_membership(actor=None, user=cast.nobody, organisation=cast.school, role=Role.PROVINCE_ADMIN)
    with pytest.raises(ValidationError):
        grant_membership(actor=None, user=cast.nobody, organisation=cast.province, role=Role.MINISTRY_ADMIN)
    assert not Membership.objects.filter(user=cast.nobody).exists()
