"""Pages students use: my courses, join with a code, a course, an item, handing in an assignment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses import kinds
from courses.access import (
    completed_item_ids,
    courses_managed_by,
    is_manager,
    item_state,
    schools_where_user_may_create,
)
from courses.forms import JoinForm, SubmissionForm
from courses.models import Course, Enrolment, Item, Submission
from courses.services import (
    CourseError,
    JoinError,
    due_soon,
    join_with_code,
    mark_complete,
    progress_for_courses,
    submit,
)
from courses.views.common import course_for
from lms.access import get_object_or_404_for


@login_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    enrolled = list(
        Course.objects.filter(
            pk__in=Enrolment.objects.filter(student=request.user, is_active=True).values("course")
        ).select_related("offering__subject", "offering__grade")
    )
    progress = progress_for_courses(request.user, enrolled)
    for course in enrolled:
        course.done, course.total = progress[course.pk]
        course.percent = round(100 * course.done / course.total) if course.total else 0
    taught = list(
        courses_managed_by(request.user)
        .select_related("offering__subject", "offering__grade", "school")
        .order_by("archived", "-school_year", "title")
    )
    return render(
        request,
        "courses/course_list.html",
        {
            "enrolled": [c for c in enrolled if not c.archived],
            "enrolled_archived": [c for c in enrolled if c.archived],
            "due": due_soon(request.user, [c for c in enrolled if not c.archived]),
            "taught": taught,
            "may_create": bool(schools_where_user_may_create(request.user)),
        },
    )


@login_required
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = join_with_code(student=request.user, code=form.cleaned_data["code"])
        except JoinError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("You joined %(course)s.") % {"course": course.title})
            return redirect("courses:course", uid=course.uid)
    return render(request, "courses/join.html", {"form": form})


def _outline(course: Course, user, manager: bool):
    """Sections with their items and, for a student, each item's state."""
    sections = list(course.sections.prefetch_related("items__prerequisites", "items__assignment"))
    completed = set() if manager else completed_item_ids(user, course)
    for section in sections:
        items = [i for i in section.items.all() if manager or i.is_visible]
        for item in items:
            prerequisite_ids = [p.pk for p in item.prerequisites.all()]
            item.state = item_state(item, completed, prerequisite_ids)
            item.missing = [p for p in item.prerequisites.all() if p.pk not in completed]
        section.visible_items = items
    return sections, completed


@login_required
@require_GET
def course_detail(request: HttpRequest, uid) -> HttpResponse:
    course = course_for(request, uid)
    manager = is_manager(request.user, course)
    sections, completed = _outline(course, request.user, manager)
    total = sum(len(s.visible_items) for s in sections)
    done = len(completed & {i.pk for s in sections for i in s.visible_items})
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "sections": sections,
            "manager": manager,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
        },
    )


def _item(request, uid, pk) -> Item:
    course = course_for(request, uid)
    qs = Item.objects.select_related("course", "section", "material").filter(course=course)
    return get_object_or_404_for(request.user, "course.item.view", qs, pk=pk)


@login_required
@require_GET
def item_detail(request: HttpRequest, uid, pk: int) -> HttpResponse:
    item = _item(request, uid, pk)
    behaviour = kinds.behaviour(item.kind)
    manager = is_manager(request.user, item.course)
    context = {
        "course": item.course,
        "item": item,
        "behaviour": behaviour,
        "manager": manager,
        "done": item.completions.filter(student=request.user).exists(),
    }
    context.update(behaviour.context(request, item))
    return render(request, behaviour.template, context)


@login_required
@require_POST
def item_done(request: HttpRequest, uid, pk: int) -> HttpResponse:
    item = _item(request, uid, pk)
    if not kinds.behaviour(item.kind).manual_completion or is_manager(request.user, item.course):
        raise Http404
    mark_complete(student=request.user, item=item)
    messages.success(request, _("Marked as done."))
    return redirect("courses:course", uid=item.course.uid)


@login_required
@require_POST
def item_submit(request: HttpRequest, uid, pk: int) -> HttpResponse:
    item = _item(request, uid, pk)
    if item.kind != "assignment":
        raise Http404
    assignment = item.assignment
    form = SubmissionForm(request.POST, request.FILES, assignment=assignment)
    if form.is_valid():
        try:
            submit(
                student=request.user,
                assignment=assignment,
                text=form.cleaned_data.get("text") or "",
                upload=form.cleaned_data.get("file"),
            )
        except CourseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Handed in. Your teacher will see it."))
            return redirect("courses:item", uid=item.course.uid, pk=item.pk)
    behaviour = kinds.behaviour(item.kind)
    context = {"course": item.course, "item": item, "behaviour": behaviour, "manager": False}
    context.update(behaviour.context(request, item))
    context["form"] = form
    return render(request, behaviour.template, context, status=400)


@login_required
@require_GET
def submission_file(request: HttpRequest, uid, sid) -> HttpResponse:
    course = course_for(request, uid)
    qs = Submission.objects.select_related("assignment__item__course").filter(assignment__item__course=course)
    submission = get_object_or_404_for(request.user, "course.submission.view", qs, uid=sid)
    if not submission.file:
        raise Http404
    handle = submission.file.open("rb")
    response = FileResponse(handle, as_attachment=True, filename=submission.file_name or None)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
