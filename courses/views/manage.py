"""Pages teachers use: create a course, its sections and items, enrolment, grading hand-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import enrolment_import, services
from courses.access import schools_where_user_may_create
from courses.forms import CourseForm, EnrolOneForm, GradeForm, ItemForm, SectionForm, UploadForm
from courses.grading import is_comment_assessed
from courses.models import Enrolment, EnrolmentSource, Item, ItemKind, Section, Submission
from courses.views.common import managed_course
from lms.access import get_object_or_404_for


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    schools = schools_where_user_may_create(request.user)
    if not schools:
        raise Http404
    form = CourseForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.create_course(
                actor=request.user,
                school=data["school"],
                offering=data["offering"],
                title=data["title"],
                school_year=data["school_year"],
                school_class=data["school_class"],
            )
        except services.CourseError as error:
            form.add_error(None, str(error))
        except Exception as error:  # model validation (grade not taught, class of another grade)
            from django.core.exceptions import ValidationError

            if not isinstance(error, ValidationError):
                raise
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Course created. Add sections and items, then enrol students."))
            return redirect("courses:manage", uid=course.uid)
    return render(request, "courses/course_form.html", {"form": form})


@login_required
def manage(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    sections = list(course.sections.prefetch_related("items__assignment", "items__material", "items__prerequisites"))
    enrolments = list(course.enrolments.filter(is_active=True).select_related("student").order_by("student__full_name"))
    return render(
        request,
        "courses/manage.html",
        {
            "course": course,
            "sections": sections,
            "enrolments": enrolments,
            "section_form": SectionForm(),
            "enrol_form": EnrolOneForm(),
            "to_grade": services.submissions_to_grade(course).filter(status="submitted").count(),
        },
    )


@login_required
@require_POST
def section_add(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    form = SectionForm(request.POST)
    if form.is_valid():
        services.add_section(actor=request.user, course=course, **form.cleaned_data)
        messages.success(request, _("Section added."))
    else:
        messages.error(request, _("A section needs a title."))
    return redirect("courses:manage", uid=course.uid)


@login_required
@require_POST
def section_move(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    section = get_object_or_404(Section, course=course, pk=pk)
    services.move(actor=request.user, obj=section, up=request.POST.get("direction") == "up")
    return redirect("courses:manage", uid=course.uid)


def _item_form(request, course, item=None):
    materials = services.materials_for_course(request.user).filter(
        Q(subject=course.offering.subject) | Q(pk=getattr(item, "material_id", None))
    )
    initial = {}
    if item is not None:
        initial = {
            "kind": item.kind,
            "title": item.title,
            "instructions": item.instructions,
            "material": item.material_id,
            "available_from": item.available_from,
            "available_until": item.available_until,
            "prerequisites": list(item.prerequisites.all()),
            "is_visible": item.is_visible,
        }
        if item.kind == ItemKind.ASSIGNMENT:
            a = item.assignment
            initial.update(
                submission_type=a.submission_type,
                due_at=a.due_at,
                accept_late=a.accept_late,
                allow_resubmission=a.allow_resubmission,
                max_file_mb=a.max_file_mb,
            )
    return ItemForm(
        request.POST or None,
        course=course,
        materials=materials.order_by("title"),
        item=item,
        initial=initial or None,
    )


@login_required
def item_add(request: HttpRequest, uid, section_pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    section = get_object_or_404(Section, course=course, pk=section_pk)
    form = _item_form(request, course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_item(
                actor=request.user,
                section=section,
                kind=data["kind"],
                title=data["title"],
                instructions=data["instructions"],
                material=data.get("material"),
                available_from=data.get("available_from"),
                available_until=data.get("available_until"),
                prerequisites=data.get("prerequisites") or [],
                assignment=form.assignment_fields() if data["kind"] == ItemKind.ASSIGNMENT else None,
            )
            if not data.get("is_visible"):
                services.update_item(actor=request.user, item=item, is_visible=False)
        except services.CourseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Item added."))
            return redirect("courses:manage", uid=course.uid)
    return render(request, "courses/item_form.html", {"course": course, "section": section, "form": form})


@login_required
def item_edit(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    item = get_object_or_404(Item.objects.select_related("section"), course=course, pk=pk)
    form = _item_form(request, course, item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_item(
                actor=request.user,
                item=item,
                title=data["title"],
                instructions=data["instructions"],
                material=data.get("material") if item.kind == ItemKind.LESSON else None,
                available_from=data.get("available_from"),
                available_until=data.get("available_until"),
                is_visible=bool(data.get("is_visible")),
                prerequisites=data.get("prerequisites") or [],
                assignment=form.assignment_fields() if item.kind == ItemKind.ASSIGNMENT else None,
            )
        except services.CourseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Item saved."))
            return redirect("courses:manage", uid=course.uid)
    return render(
        request, "courses/item_form.html", {"course": course, "section": item.section, "form": form, "item": item}
    )


@login_required
@require_POST
def item_move(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    item = get_object_or_404(Item, course=course, pk=pk)
    services.move(actor=request.user, obj=item, up=request.POST.get("direction") == "up")
    return redirect("courses:manage", uid=course.uid)


@login_required
@require_POST
def item_delete(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    item = get_object_or_404(Item, course=course, pk=pk)
    if item.kind == ItemKind.ASSIGNMENT and item.assignment.submissions.exists():
        messages.error(request, _("Students have handed this in; hide it instead of deleting it."))
    else:
        services.delete_item(actor=request.user, item=item)
        messages.success(request, _("Item deleted."))
    return redirect("courses:manage", uid=course.uid)


@login_required
@require_POST
def course_settings(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    action = request.POST.get("action")
    if action == "new-code":
        services.regenerate_join_code(actor=request.user, course=course)
        messages.success(request, _("New join code: %(code)s") % {"code": course.join_code})
    elif action in ("open-join", "close-join"):
        services.set_join_enabled(actor=request.user, course=course, enabled=action == "open-join")
    elif action in ("archive", "unarchive"):
        services.set_archived(actor=request.user, course=course, archived=action == "archive")
    else:
        return HttpResponse(status=400)
    return redirect("courses:manage", uid=course.uid)


# --- Enrolment --------------------------------------------------------------------------


@login_required
@require_POST
def enrol_one(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    form = EnrolOneForm(request.POST)
    if form.is_valid():
        identifier = form.cleaned_data["identifier"].strip()
        student = (
            services.school_students(course.school)
            .filter(Q(username__iexact=identifier) | Q(personal_id=identifier))
            .first()
        )
        if student is None:
            messages.error(request, _("No student of this school has this username or personal ID number."))
        else:
            services.enrol(actor=request.user, course=course, students=[student], source=EnrolmentSource.ADMIN)
            messages.success(request, _("%(name)s is now in the course.") % {"name": student.display_name})
    return redirect("courses:manage", uid=course.uid)


@login_required
@require_POST
def unenrol(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    enrolment = get_object_or_404(Enrolment, course=course, pk=pk)
    services.unenrol(actor=request.user, enrolment=enrolment)
    messages.success(request, _("%(name)s was removed from the course.") % {"name": enrolment.student.display_name})
    return redirect("courses:manage", uid=course.uid)


@login_required
def enrol_upload(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"course": course, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = enrolment_import.preview(course, form.cleaned_data["file"])
        except enrolment_import.ImportFileError as error:
            form.add_error("file", str(error))
            status = 400
        else:
            context.update(preview=result, token=enrolment_import.sign(course, result))
    return render(request, "courses/enrol_upload.html", context, status=status)


@login_required
@require_POST
def enrol_commit(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    try:
        count = enrolment_import.commit(actor=request.user, course=course, token=request.POST.get("token", ""))
    except (enrolment_import.ImportFileError, services.CourseError) as error:
        messages.error(request, str(error))
        return redirect("courses:enrol_upload", uid=course.uid)
    messages.success(request, _("%(count)s students enrolled.") % {"count": count})
    return redirect("courses:manage", uid=course.uid)


# --- Hand-ins to grade --------------------------------------------------------------------


@login_required
def submissions(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    return render(
        request,
        "courses/submissions.html",
        {"course": course, "submissions": services.submissions_to_grade(course)},
    )


@login_required
def submission_grade(request: HttpRequest, uid, sid) -> HttpResponse:
    course = managed_course(request, uid)
    qs = Submission.objects.select_related("student", "assignment__item").filter(assignment__item__course=course)
    submission = get_object_or_404_for(request.user, "course.submission.grade", qs, uid=sid)
    comment = is_comment_assessed(course)
    initial = {"score": submission.score, "comment_result": submission.comment_result, "feedback": submission.feedback}
    form = GradeForm(request.POST or None, comment_assessed=comment, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.grade_submission(
            actor=request.user,
            submission=submission,
            score=data.get("score"),
            comment_result=data.get("comment_result") or "",
            feedback=data["feedback"],
            return_for_changes=data["return_for_changes"],
        )
        messages.success(request, _("Grade saved."))
        return redirect("courses:submissions", uid=course.uid)
    earlier = submission.assignment.submissions.filter(student=submission.student).exclude(pk=submission.pk)
    return render(
        request,
        "courses/submission_grade.html",
        {"course": course, "submission": submission, "form": form, "earlier": earlier},
    )
