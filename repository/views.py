"""The library for users, outside the admin: browse with counts, my materials, awaiting my review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lms.curriculum.models import Grade, Level, SubjectOffering, Topic
from repository.models.appraisal import AppraisalTask
from repository.models.materials import MaterialPage
from repository.services import materials_visible_to

PAGE_SIZE = 20


@require_GET
def library_index(request: HttpRequest) -> HttpResponse:
    visible = materials_visible_to(request.user)
    counts = dict(visible.values_list("grades__number").annotate(n=Count("pk", distinct=True)))
    levels = list(Level.objects.prefetch_related("grades"))
    for level in levels:
        level.grade_counts = [(grade, counts.get(grade.number, 0)) for grade in level.grades.all()]
    return render(request, "repository/library_index.html", {"levels": levels, "total": visible.count()})


@require_GET
def library_grade(request: HttpRequest, number: int) -> HttpResponse:
    grade = Grade.objects.select_related("level").filter(number=number).first()
    if grade is None:
        raise Http404
    visible = materials_visible_to(request.user).filter(grades=grade)
    counts = dict(visible.values_list("subject_id").annotate(n=Count("pk", distinct=True)))
    offerings = SubjectOffering.objects.filter(grade=grade).select_related("subject").order_by("subject__order")
    rows = [(o.subject, counts.get(o.subject_id, 0)) for o in offerings]
    return render(request, "repository/library_grade.html", {"grade": grade, "rows": rows})


@require_GET
def library_subject(request: HttpRequest, number: int, slug: str) -> HttpResponse:
    offering = (
        SubjectOffering.objects.select_related("subject", "grade")
        .filter(grade__number=number, subject__slug=slug)
        .first()
    )
    if offering is None:
        raise Http404
    visible = materials_visible_to(request.user).filter(grades=offering.grade, subject=offering.subject)
    topic_counts = dict(visible.values_list("topics").annotate(n=Count("pk", distinct=True)))
    topics = list(Topic.objects.filter(subject=offering.subject, grade=offering.grade, parent=None).order_by("order"))
    topic_rows = [(t, topic_counts.get(t.pk, 0)) for t in topics]
    chosen = next((t for t in topics if t.code == request.GET.get("topic")), None)
    if chosen is not None:
        visible = visible.filter(topics=chosen)
    materials = visible.select_related("school", "content_type").order_by("-first_published_at").distinct()
    page_obj = Paginator(materials, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "repository/library_subject.html",
        {"offering": offering, "topic_rows": topic_rows, "chosen": chosen, "page_obj": page_obj},
    )


@login_required
@require_GET
def my_materials(request: HttpRequest) -> HttpResponse:
    materials = (
        MaterialPage.objects.filter(owner=request.user)
        .select_related("subject", "content_type", "latest_revision")
        .prefetch_related("_workflow_states", "appraisals")
        .order_by("-latest_revision_created_at")
    )
    page_obj = Paginator(materials, PAGE_SIZE).get_page(request.GET.get("page"))
    for material in page_obj.object_list:
        trail = list(material.appraisals.all())  # prefetched, oldest first
        material.last_appraisal = trail[-1] if trail else None
    return render(request, "repository/my_materials.html", {"page_obj": page_obj})


@login_required
@require_GET
def material_appraisals(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail of a material's appraisal, for its author, its editors and its reviewers."""
    from repository.models.appraisal import CRITERIA, CriterionResult
    from repository.services import appraisal_history, user_is_appraising, user_may_edit

    material = MaterialPage.objects.select_related("subject", "school", "owner").filter(pk=pk).first()
    if material is None or not (user_may_edit(request.user, material) or user_is_appraising(request.user, material)):
        raise Http404
    labels = dict(CRITERIA)
    results = dict(CriterionResult.choices)
    appraisals = [
        (a, [(labels.get(name, name), results.get(value, value), value) for name, value in a.criteria.items()])
        for a in appraisal_history(material)
    ]
    workflow_state = material.current_workflow_state
    return render(
        request,
        "repository/material_appraisals.html",
        {"material": material, "appraisals": appraisals, "workflow_state": workflow_state},
    )


@login_required
@require_GET
def awaiting_review(request: HttpRequest) -> HttpResponse:
    states = []
    for task in AppraisalTask.objects.filter(active=True):
        states.extend(task.task_states_for(request.user).select_related("workflow_state", "task"))
    ids = [int(s.workflow_state.object_id) for s in states]
    materials = {m.pk: m for m in MaterialPage.objects.filter(pk__in=ids).select_related("subject", "school", "owner")}
    rows = [
        (materials[int(s.workflow_state.object_id)], s) for s in states if int(s.workflow_state.object_id) in materials
    ]
    return render(request, "repository/awaiting_review.html", {"rows": rows})


@login_required
@require_GET
def coverage_report(request: HttpRequest) -> HttpResponse:
    """For administrators: their own unit (or one inside it); the ministry sees the nation."""
    from lms import access
    from repository.coverage import UnknownScope, coverage, parse_scope, to_csv

    roots = access.administered_roots(request.user)
    default = (
        "national"
        if request.user.is_superuser or any(r.is_root() for r in roots)
        else (f"org:{roots[0].code}" if roots else "")
    )
    try:
        unit = parse_scope(request.GET.get("scope") or default)
    except UnknownScope:
        raise Http404 from None
    allowed = request.user.is_superuser or (
        any(r.is_root() for r in roots) if unit is None else access.can(request.user, "org.manage", unit)
    )
    if not allowed:
        raise Http404
    rows = coverage(unit)
    if request.GET.get("format") == "csv":
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="bao-cao-do-phu.csv"'
        return response
    return render(
        request, "repository/coverage.html", {"rows": rows, "unit": unit, "scope": request.GET.get("scope") or default}
    )
