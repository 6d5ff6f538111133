"""Who may see, use, edit and approve questions: the one place this app decides it.

The rules follow the library's:

* ``question.create`` (obj: a school): teachers, subject-group heads and administrators of the
  school; administrators whose subtree holds it.
* ``question.view`` — see a question with its answers and key in the bank: its owner; the
  administrators of its school (who edit it); group heads of its school for questions of their
  subjects that are ready for review (they approve them); and staff of any role except
  student whose organisation the question's sharing scope reaches, once it is approved.
* ``question.use`` — put it in a paper or quiz: ``question.view`` and approved.
* ``question.edit`` — make a new version, change its metadata: the owner and the
  administrators of its school.
* ``question.approve`` — change the status to or from approved: administrators of its school
  and group heads of its school (for their subjects).

Students never reach a question through the bank, not even a nationally shared one: they see
questions only inside a quiz the courses app shows them. ``questions_visible_to`` is
``question.view`` as a queryset filter, for lists; the rules use the same filter so a list and
a page never disagree.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from lms.access import administered_roots, is_under, memberships, rule
from lms.accounts.models import Role
from lms.orgs.models import ancestor_paths
from question_bank.models import Question, QuestionStatus

AUTHOR_ROLES = (Role.TEACHER, Role.GROUP_HEAD, Role.SCHOOL_ADMIN)
BANK_ROLES = tuple(r for r in Role.values if r != Role.STUDENT)


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _school_ids(user, roles) -> set[int]:
    return {m.organisation_id for m in memberships(user) if m.role in roles and m.organisation.unit_type.is_school}


def _head_condition(user) -> Q:
    """Questions group heads approve: their school's, in their subjects (all subjects if none listed)."""
    parts = []
    for m in memberships(user):
        if m.role != Role.GROUP_HEAD:
            continue
        subjects = [s.pk for s in m.subjects.all()]
        part = Q(school_id=m.organisation_id)
        if subjects:
            part &= Q(subject_id__in=subjects) | Q(subject__isnull=True)
        parts.append(part)
    return reduce(or_, parts) if parts else Q(pk__in=[])


def visibility_q(user) -> Q:
    """``question.view`` as a filter (see the module docstring)."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    condition = Q(owner=user)
    staff_paths = [m.organisation.path for m in memberships(user) if m.role in BANK_ROLES]
    if staff_paths:
        audience = Q(audience_path="") | Q(audience_path__in=ancestor_paths(staff_paths))
        condition |= Q(status=QuestionStatus.APPROVED) & audience
    admin_schools = _school_ids(user, (Role.SCHOOL_ADMIN,))
    if admin_schools:
        condition |= Q(school_id__in=admin_schools)
    condition |= _head_condition(user) & Q(status=QuestionStatus.READY)
    return condition


def questions_visible_to(user) -> QuerySet[Question]:
    return Question.objects.filter(visibility_q(user))


def questions_usable_by(user) -> QuerySet[Question]:
    return questions_visible_to(user).filter(status=QuestionStatus.APPROVED)


def may_author_in(user, school) -> bool:
    if not _active(user) or school is None:
        return False
    if user.is_superuser:
        return True
    if school.pk in _school_ids(user, AUTHOR_ROLES):
        return True
    return is_under(school, administered_roots(user))


def authoring_schools(user) -> list:
    """The schools where a user writes questions (their memberships as teacher, head or admin)."""
    return [m.organisation for m in memberships(user) if m.role in AUTHOR_ROLES and m.organisation.unit_type.is_school]


@rule("question.create")
def _question_create(user, school) -> bool:
    if school is None:
        return bool(authoring_schools(user))
    return may_author_in(user, school)


@rule("question.view")
def _question_view(user, question: Question) -> bool:
    return question.owner_id == user.pk or questions_visible_to(user).filter(pk=question.pk).exists()


@rule("question.use")
def _question_use(user, question: Question) -> bool:
    return question.status == QuestionStatus.APPROVED and _question_view(user, question)


@rule("question.edit")
def _question_edit(user, question: Question) -> bool:
    if question.owner_id == user.pk:
        return True
    return question.school_id is not None and question.school_id in _school_ids(user, (Role.SCHOOL_ADMIN,))


@rule("question.approve")
def _question_approve(user, question: Question) -> bool:
    if question.school_id is None:
        return False
    if question.school_id in _school_ids(user, (Role.SCHOOL_ADMIN,)):
        return True
    return Question.objects.filter(_head_condition(user), pk=question.pk).exists()
