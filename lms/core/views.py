"""Home pages per role and the public curriculum browser."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms import access
from lms.accounts.models import ADMIN_ROLES, Membership, Role
from lms.curriculum.models import Grade, Level, Outcome, SubjectOffering, Topic
from lms.orgs.models import Organisation, SchoolClass


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home_anonymous.html", {"levels": Level.objects.prefetch_related("grades")})
    role = access.primary_role(user)
    mine = access.memberships(user)
    context = {"memberships": mine, "primary_role": role}
    if role in ADMIN_ROLES:
        context.update(_admin_overview(user))
        return render(request, "core/home_admin.html", context)
    if role == Role.REVIEWER:
        return render(request, "core/home_reviewer.html", context)
    if role in (Role.TEACHER, Role.GROUP_HEAD):
        return render(request, "core/home_teacher.html", context)
    if role == Role.STUDENT:
        context.update(_student_context(mine))
        return render(request, "core/home_student.html", context)
    return render(request, "core/home_nomembership.html", context)


def _student_context(mine: list[Membership]) -> dict:
    classes = [m.school_class for m in mine if m.role == Role.STUDENT and m.school_class]
    grade_ids = {c.grade_id for c in classes}
    offerings = (
        SubjectOffering.objects.filter(grade_id__in=grade_ids)
        .select_related("subject", "grade")
        .order_by("grade__number", "subject__order")
    )
    return {"classes": classes, "offerings": offerings}


def _admin_overview(user) -> dict:
    """Counts over the organisations an administrator runs: a fixed number of queries."""
    roots = access.administered_roots(user)
    subtree = Organisation.objects.filter(access._subtree_q(roots))
    member_counts = (
        Membership.objects.active()
        .filter(organisation__in=subtree)
        .values("role")
        .annotate(n=Count("user", distinct=True))
    )
    counts = {row["role"]: row["n"] for row in member_counts}
    children = list(
        subtree.filter(depth__in={root.depth + 1 for root in roots}).select_related("unit_type").order_by("name")
    )
    _attach_subtree_counts(children)
    return {
        "admin_roots": roots,
        "school_count": subtree.filter(unit_type__is_school=True).count(),
        "class_count": SchoolClass.objects.filter(school__in=subtree).count(),
        "student_count": counts.get(Role.STUDENT, 0),
        "teacher_count": counts.get(Role.TEACHER, 0) + counts.get(Role.GROUP_HEAD, 0),
        "reviewer_count": counts.get(Role.REVIEWER, 0),
        "children": children,
    }


def _attach_subtree_counts(units: list[Organisation]) -> None:
    """Teachers and students of each unit's whole subtree: one grouped query per tree depth."""
    for depth in {unit.depth for unit in units}:
        prefix_length = depth * Organisation.steplen
        rows = (
            Membership.objects.active()
            .filter(organisation__depth__gte=depth, role__in=[Role.STUDENT, Role.TEACHER, Role.GROUP_HEAD])
            .annotate(prefix=Substr("organisation__path", 1, prefix_length))
            .filter(prefix__in=[u.path for u in units if u.depth == depth])
            .values("prefix", "role")
            .annotate(n=Count("user", distinct=True))
        )
        counts: dict[tuple[str, str], int] = {(row["prefix"], row["role"]): row["n"] for row in rows}
        for unit in units:
            if unit.depth == depth:
                unit.students = counts.get((unit.path, Role.STUDENT), 0)
                unit.teachers = counts.get((unit.path, Role.TEACHER), 0) + counts.get((unit.path, Role.GROUP_HEAD), 0)


@require_GET
def curriculum_index(request: HttpRequest) -> HttpResponse:
    levels = Level.objects.prefetch_related(
        Prefetch("grades", queryset=Grade.objects.annotate(subject_count=Count("offerings")))
    )
    return render(request, "core/curriculum_index.html", {"levels": levels})


@require_GET
def curriculum_grade(request: HttpRequest, number: int) -> HttpResponse:
    grade = Grade.objects.select_related("level").filter(number=number).first()
    if grade is None:
        raise Http404
    offerings = (
        SubjectOffering.objects.filter(grade=grade)
        .select_related("subject")
        .annotate(
            topic_count=Count("subject__topics", filter=Q(subject__topics__grade=grade, subject__topics__parent=None))
        )
        .order_by("kind", "subject__order")
    )
    return render(request, "core/curriculum_grade.html", {"grade": grade, "offerings": offerings})


@require_GET
def curriculum_subject(request: HttpRequest, number: int, slug: str) -> HttpResponse:
    offering = (
        SubjectOffering.objects.select_related("subject", "grade", "grade__level")
        .filter(grade__number=number, subject__slug=slug)
        .first()
    )
    if offering is None:
        raise Http404
    topics = (
        Topic.objects.filter(subject=offering.subject, grade=offering.grade, parent=None)
        .select_related("strand")
        .prefetch_related(
            Prefetch("children", queryset=Topic.objects.order_by("order")),
            Prefetch("outcomes", queryset=Outcome.objects.order_by("order")),
        )
        .order_by("is_special_topic", "strand__order", "order")
    )
    return render(request, "core/curriculum_subject.html", {"offering": offering, "topics": topics})


@require_GET
def styleguide(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/styleguide.html")
