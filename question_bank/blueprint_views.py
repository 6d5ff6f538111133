"""Admin pages of blueprint papers: list, create, the matrix editor, generation and the print view.

Registered from ``wagtail_hooks`` (menu item "Ma trận đề"). Every view loads its object through
``blueprint.view``/``blueprint.edit`` (a 404 for anyone else); students never reach them.
The matrix is checked on the server by the engine before it is saved and before papers are
drawn; the page's script only adds up rows and columns while the teacher types.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms import access
from lms.curriculum.models import Grade, Subject
from question_bank.access import authoring_schools
from question_bank.blueprint import FORMATS, GenerationSettings, check_blueprint, generate
from question_bank.blueprint import db as bpdb
from question_bank.blueprint.matrix import Blueprint as EngineBlueprint
from question_bank.blueprint.matrix import Cell
from question_bank.blueprint.messages import FORMAT_LABELS, describe
from question_bank.blueprint.printing import print_context
from question_bank.models import Blueprint, GeneratedPaper, GeneratedPaperSet, LevelScheme

MAX_VARIANTS = 24


class BlueprintForm(forms.ModelForm):
    formats = forms.MultipleChoiceField(
        label=gettext_lazy("Item formats"),
        choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
        initial=["mc", "tf", "short"],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Blueprint
        fields = ["title", "subject", "grade", "scheme", "total_points", "duration_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.all()
        self.fields["grade"].queryset = Grade.objects.all()
        self.fields["scheme"].queryset = LevelScheme.objects.all()


def _cells_from_post(bp: EngineBlueprint, post) -> tuple[dict, list[str]]:
    """Cells typed in the matrix; texts that are not numbers are named (nothing is saved then)."""
    cells, bad = {}, []
    for row in bp.rows:
        for fmt, level in bp.columns:
            name = f"c-{row.id}-{level}-{fmt}"
            count_text = (post.get(f"{name}-n") or "").strip()
            points_text = (post.get(f"{name}-p") or "").strip().replace(",", ".")
            if not count_text and not points_text:
                continue
            try:
                count = int(count_text or "0")
                points = Decimal(points_text or "0")
                if not points.is_finite():
                    raise InvalidOperation
            except (ValueError, InvalidOperation):
                bad.append(f"{row.label} – {FORMAT_LABELS[fmt]} – {bp.level(level).label}")
                continue
            if count or points:
                cells[(row.id, level, fmt)] = Cell(count, points)
    return cells, bad


def _with_cells(bp: EngineBlueprint, cells: dict) -> EngineBlueprint:
    return EngineBlueprint(
        rows=bp.rows,
        levels=bp.levels,
        formats=bp.formats,
        cells=cells,
        total_points=bp.total_points,
        title=bp.title,
        subject=bp.subject,
        grade=bp.grade,
        duration_minutes=bp.duration_minutes,
    )


def _matrix_context(bp: EngineBlueprint, report) -> dict:
    by_cell = report.by_cell()
    rows = []
    for row in bp.rows:
        cells = []
        for fmt, level in bp.columns:
            cell = bp.cells.get((row.id, level, fmt))
            cells.append(
                {
                    "name": f"c-{row.id}-{level}-{fmt}",
                    "count": "" if cell is None else cell.count,
                    "points": "" if cell is None else cell.points,
                    "findings": [describe(f) for f in by_cell.get((row.id, level, fmt), [])],
                    "label": f"{row.label} – {FORMAT_LABELS[fmt]} – {bp.level(level).label}",
                    "fmt": fmt,
                    "level": level,
                }
            )
        total = bp.row_total(row.id)
        rows.append({"row": row, "cells": cells, "total": total})
    columns = [
        {"fmt": fmt, "level": bp.level(level), "total": bp.column_total(fmt, level)} for fmt, level in bp.columns
    ]
    formats = [{"fmt": f, "label": FORMAT_LABELS[f], "span": len(bp.levels)} for f in bp.formats]
    general = [describe(f) for f in by_cell.get(None, [])]
    return {
        "bp": bp,
        "rows": rows,
        "columns": columns,
        "formats": formats,
        "grand": bp.grand_total(),
        "general_findings": general,
        "report": report,
    }


def blueprint_list(request):
    if not authoring_schools(request.user) and not request.user.is_superuser:
        raise Http404
    items = bpdb.blueprints_visible_to(request.user).select_related("subject", "grade", "owner")
    return TemplateResponse(request, "question_bank/blueprint_list.html", {"blueprints": items})


def blueprint_create(request):
    schools = authoring_schools(request.user)
    if not schools:
        raise Http404
    form = BlueprintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.owner = request.user
        record.school = schools[0]
        record.matrix = {"formats": form.cleaned_data["formats"], "cells": []}
        record.save()
        return redirect("qb_blueprints:blueprint_edit", pk=record.pk)
    return TemplateResponse(request, "question_bank/blueprint_create.html", {"form": form})


def blueprint_edit(request, pk: int):
    record = access.get_object_or_404_for(
        request.user, "blueprint.view", Blueprint.objects.select_related("subject", "grade", "scheme"), pk=pk
    )
    may_edit = access.can(request.user, "blueprint.edit", record)
    bp = bpdb.engine_blueprint(record)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        cells, bad = _cells_from_post(bp, request.POST)
        bp = _with_cells(bp, cells)
        report = check_blueprint(bp, bpdb.pool_for(record, bp, request.user))
        matrix_errors = [f for f in report.errors if f.code != "cell.short_of_questions"]
        if bad:
            messages.error(request, _("Some cells are not numbers; nothing was saved: %s") % "; ".join(bad))
        elif matrix_errors:
            messages.error(request, _("The matrix has errors (see the cells marked below); nothing was saved."))
        else:
            record.matrix = bp.to_dict()
            record.save(update_fields=["matrix", "updated_at"])
            messages.success(request, _("Blueprint saved."))
            return redirect("qb_blueprints:blueprint_edit", pk=record.pk)
    else:
        report = check_blueprint(bp, bpdb.pool_for(record, bp, request.user))
    context = {
        "record": record,
        "may_edit": may_edit,
        "paper_sets": record.paper_sets.prefetch_related("papers"),
        "max_variants": MAX_VARIANTS,
        **_matrix_context(bp, report),
    }
    return TemplateResponse(request, "question_bank/blueprint_edit.html", context)


def blueprint_generate(request, pk: int):
    record = access.get_object_or_404_for(
        request.user, "blueprint.view", Blueprint.objects.select_related("subject", "grade", "scheme"), pk=pk
    )
    if request.method != "POST":
        return redirect("qb_blueprints:blueprint_edit", pk=pk)
    try:
        variants = int(request.POST.get("variants", "4"))
    except ValueError:
        variants = 0
    seed = (request.POST.get("seed") or "").strip()[:100] or "1"
    if not 1 <= variants <= MAX_VARIANTS:
        messages.error(request, _("Choose between 1 and %(max)d variants.") % {"max": MAX_VARIANTS})
        return redirect("qb_blueprints:blueprint_edit", pk=pk)
    bp = bpdb.engine_blueprint(record)
    result = generate(bp, bpdb.pool_for(record, bp, request.user), variants=variants, seed=seed)
    if not result.ok:
        for finding in result.report.errors[:10]:
            messages.error(request, describe(finding))
        return redirect("qb_blueprints:blueprint_edit", pk=pk)
    settings = GenerationSettings()
    paper_set = bpdb.store_generation(
        record, bp, result, seed=seed, settings={"first_code": settings.first_code}, actor=request.user
    )
    messages.success(request, _("%(n)d variants generated.") % {"n": len(result.papers)})
    return redirect(reverse("qb_blueprints:blueprint_edit", args=[pk]) + f"#set-{paper_set.pk}")


def paper_print(request, pk: int):
    paper_record = (
        GeneratedPaper.objects.select_related("paper_set__blueprint__school", "paper_set__blueprint__subject")
        .filter(pk=pk)
        .first()
    )
    if paper_record is None or not access.can(request.user, "blueprint.view", paper_record.paper_set.blueprint):
        raise Http404
    bp, paper = bpdb.stored_paper(paper_record)
    record = paper_record.paper_set.blueprint
    context = print_context(bp, paper, school=record.school.name, exam=record.title)
    return TemplateResponse(request, "question_bank/paper_print.html", context)


class _BlueprintMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(authoring_schools(request.user))


@hooks.register("register_admin_urls")
def register_blueprint_urls():
    urls = [
        path("", blueprint_list, name="blueprint_list"),
        path("new/", blueprint_create, name="blueprint_create"),
        path("<int:pk>/", blueprint_edit, name="blueprint_edit"),
        path("<int:pk>/generate/", blueprint_generate, name="blueprint_generate"),
        path("papers/<int:pk>/print/", paper_print, name="paper_print"),
    ]
    return [path("question-bank/blueprints/", include((urls, "qb_blueprints"), namespace="qb_blueprints"))]


@hooks.register("register_admin_menu_item")
def register_blueprint_menu_item():
    return _BlueprintMenuItem(
        gettext_lazy("Test blueprints"), reverse("qb_blueprints:blueprint_list"), icon_name="table", order=252
    )


__all__ = ["GeneratedPaperSet"]
