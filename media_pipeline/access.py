"""Who may watch and who may change a lecture video: the one place this app decides it.

* ``video.view``: the owner; anyone once the library has published it; staff of
  the video's school (teachers, subject-group heads, school administrators) who
  see their colleagues' drafts; administrators and reviewers whose subtree holds
  the school (reviewers appraise drafts before they are published).
* ``video.edit``: the owner, and administrators whose subtree holds the school.
* ``video.upload`` (object: the school, or None for "any"): staff of the school
  (teachers, subject-group heads, school administrators) and administrators
  whose subtree holds it. Students, reviewers and people without a school may not.

Published videos are also open to anonymous visitors (``can_view_video``): the
library decides who reaches the page; the video's uuid is not guessable.
``videos_visible_to`` is the same rule as a queryset filter, for lists.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from lms.access import administered_roots, can, is_under, reviewed_roots, rule, schools_of
from lms.accounts.models import Role
from media_pipeline.models import LectureVideo

STAFF_ROLES = (Role.TEACHER, Role.GROUP_HEAD, Role.SCHOOL_ADMIN)


def _sees_school_drafts(user, video: LectureVideo) -> bool:
    school = video.school
    if school is None:
        return False
    if any(s.pk == school.pk for s in schools_of(user, roles_in=STAFF_ROLES)):
        return True
    return is_under(school, administered_roots(user) + reviewed_roots(user))


@rule("video.view")
def _video_view(user, video: LectureVideo) -> bool:
    return video.is_published or video.owner_id == user.pk or _sees_school_drafts(user, video)


@rule("video.edit")
def _video_edit(user, video: LectureVideo) -> bool:
    if video.owner_id == user.pk:
        return True
    return video.school is not None and is_under(video.school, administered_roots(user))


@rule("video.upload")
def _video_upload(user, school) -> bool:
    staff_schools = schools_of(user, roles_in=STAFF_ROLES)
    admin_roots = administered_roots(user)
    if school is None:
        return bool(staff_schools or admin_roots)
    return any(s.pk == school.pk for s in staff_schools) or is_under(school, admin_roots)


def upload_schools(user) -> list:
    """The schools ``user`` uploads for (their own as staff); administrators without one upload for none."""
    return schools_of(user, roles_in=STAFF_ROLES)


def videos_editable_by(user) -> QuerySet[LectureVideo]:
    """The videos ``user`` may change (the list form of ``video.edit``): the admin area's listing."""
    qs = LectureVideo.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(owner=user)
    roots = administered_roots(user)
    if roots:
        condition |= reduce(or_, (Q(school__path__startswith=root.path) for root in roots))
    return qs.filter(condition)


def can_view_video(user, video: LectureVideo) -> bool:
    """``video.view``, plus anonymous visitors for published videos."""
    return video.is_published or can(user, "video.view", video)


def videos_visible_to(user) -> QuerySet[LectureVideo]:
    """The videos ``user`` may watch, as a filter (the list form of ``video.view``)."""
    qs = LectureVideo.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.filter(is_published=True)
    if user.is_superuser:
        return qs
    condition = Q(is_published=True) | Q(owner=user)
    staff_schools = schools_of(user, roles_in=STAFF_ROLES)
    if staff_schools:
        condition |= Q(school__in=staff_schools)
    roots = administered_roots(user) + reviewed_roots(user)
    if roots:
        condition |= reduce(or_, (Q(school__path__startswith=root.path) for root in roots))
    return qs.filter(condition)


def get_video_for(user, action: str, video_uuid) -> LectureVideo:
    """The video by uuid if ``user`` may do ``action`` to it, else 404 (the same for missing and forbidden)."""
    try:
        video = LectureVideo.objects.select_related("school").get(uuid=video_uuid)
    except (LectureVideo.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    allowed = can_view_video(user, video) if action == "video.view" else can(user, action, video)
    if not allowed:
        raise Http404
    return video
