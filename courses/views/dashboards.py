"""Dashboards: a student's classes, due work and results; a teacher's class results; a school's online activity.

Who sees what (docs/dashboards.md): a student only their own figures; a teacher the courses they manage
(``course.manage``: 404 otherwise); an administrator the schools in the subtrees they administer (404 for
anyone else and for an organisation outside them).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from courses import dashboards
from courses.views.common import managed_course
from lms import access
from lms.orgs.models import Organisation


@login_required
@require_GET
def student(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    courses = dashboards.student_courses(request.user)
    return render(
        request,
        "courses/dashboard_student.html",
        {
            "courses": courses,
            "due": dashboards.student_due(request.user, courses, now=now),
            "results": dashboards.student_results(request.user, courses, now=now),
            "now": now,
            "teaches": request.user.taught_courses.exists(),
            "administers": bool(dashboards.overview_roots(request.user)),
        },
    )


@login_required
@require_GET
def teaching(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/dashboard_teaching.html", {"courses": dashboards.taught_courses(request.user)})


@login_required
@require_GET
def course_results(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    results = dashboards.course_results(course)
    chosen, analysis, attempt_count = None, [], 0
    raw = request.GET.get("quiz")
    if raw:
        chosen = next((item for item in results.quizzes if str(item.pk) == raw), None)
        if chosen is None:  # not a (visible) quiz of this course: the same 404 as anything not yours
            raise Http404
    elif results.quizzes:
        chosen = results.quizzes[-1]
    if chosen is not None:
        attempt_count, analysis = dashboards.item_analysis(chosen.quiz)
    return render(
        request,
        "courses/dashboard_course.html",
        {
            "course": course,
            "results": results,
            "chosen": chosen,
            "analysis": analysis,
            "attempt_count": attempt_count,
        },
    )


@login_required
@require_GET
def school(request: HttpRequest) -> HttpResponse:
    roots = dashboards.overview_roots(request.user)
    if not roots:
        raise Http404
    raw = request.GET.get("org")
    if raw:
        org = Organisation.objects.select_related("unit_type").filter(pk=raw if raw.isdigit() else 0).first()
        if org is None or not access.is_under(org, roots):
            raise Http404
    else:
        org = roots[0]
    overview = dashboards.overview(org, school_year=(request.GET.get("year") or "")[:9] or None)
    return render(
        request,
        "courses/dashboard_school.html",
        {"overview": overview, "org": org, "roots": roots if len(roots) > 1 else []},
    )
