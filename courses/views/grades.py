"""The grade book page: enter scores in a grid (all or nothing), link assignments to columns, export XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses import grading
from courses.export import gradebook_xlsx
from courses.models import GradeColumn, GradeEntryChange, ItemKind
from courses.services import CourseError
from courses.views.common import managed_course


@login_required
def gradebook(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    if not course.grade_columns.exists():
        grading.ensure_columns(actor=request.user, course=course)
    columns, rows = grading.gradebook(course)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        changes = []
        for row in rows:
            for column in columns:
                name = f"e-{column.pk}-{row.student.pk}"
                if name not in request.POST:
                    continue
                raw = request.POST[name].strip()
                typed[name] = raw
                entry = row.cells.get(column.pk)
                if raw == (entry.display if entry else ""):
                    continue
                try:
                    grading.parse_entry(column, raw)
                except CourseError as error:
                    errors[name] = str(error)
                changes.append((column, row.student, raw))
        if errors:
            messages.error(request, _("Some scores are not valid; nothing was saved. Correct the marked cells."))
        else:
            with transaction.atomic():
                for column, student, raw in changes:
                    grading.set_entry(actor=request.user, column=column, student=student, raw=raw)
            messages.success(request, _("%(count)s changes saved.") % {"count": len(changes)})
            return redirect("courses:gradebook", uid=course.uid)
    grid = []
    for row in rows:
        cells = []
        for column in columns:
            name = f"e-{column.pk}-{row.student.pk}"
            entry = row.cells.get(column.pk)
            cells.append(
                {
                    "name": name,
                    "column": column,
                    "value": typed.get(name, entry.display if entry else ""),
                    "error": errors.get(name, ""),
                    "entry": entry,
                }
            )
        grid.append(
            {
                "student": row.student,
                "cells": cells,
                "results": {k: grading.result_text(v) for k, v in row.results.items()},
            }
        )
    terms = [(t, [c for c in columns if c.term == t]) for t in (1, 2)]
    history = GradeEntryChange.objects.filter(entry__column__course=course).select_related(
        "entry__student", "entry__column", "changed_by"
    )[:30]
    return render(
        request,
        "courses/gradebook.html",
        {
            "course": course,
            "columns": columns,
            "terms": terms,
            "grid": grid,
            "comment": grading.is_comment_assessed(course),
            "assignments": course.items.filter(kind__in=[ItemKind.ASSIGNMENT, ItemKind.QUIZ]),
            "history": history,
            "required": grading.required_regular(course),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def column_link(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    column = get_object_or_404(GradeColumn, course=course, pk=pk)
    item_pk = request.POST.get("item") or None
    item = get_object_or_404(course.items, pk=item_pk) if item_pk else None
    try:
        grading.link_column(actor=request.user, column=column, item=item)
    except CourseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Column %(column)s updated.") % {"column": column.label})
    return redirect("courses:gradebook", uid=course.uid)


@login_required
@require_GET
def gradebook_export(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    if not course.grade_columns.exists():
        grading.ensure_columns(actor=request.user, course=course)
    response = HttpResponse(
        gradebook_xlsx(course),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(f"so-diem-{course.offering.subject.slug}-{course.school_year}-{course.pk}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
