"""The teacher's quiz pages: create a quiz, its settings, its questions (pick, draw, blueprint variant),
regrade after a question fix, and the essay grading queue. Course managers only; everyone else gets 404.

The rules live in ``courses.quiz_builder``, ``courses.regrade`` and ``courses.grading_queue``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courses import grading_queue, quiz_builder, regrade
from courses.attempts import create_quiz
from courses.forms import DateTimeLocal
from courses.models import ItemKind, Section
from courses.models.quiz import FINISHED, Attempt, AttemptAnswer, Quiz
from courses.views.common import managed_course
from lms.text import fold
from question_bank.labels import type_label

PAGE_SIZE = 25


class QuizSettingsForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = list(quiz_builder.SETTINGS_FIELDS)
        widgets = {
            "opens_at": DateTimeLocal(),
            "closes_at": DateTimeLocal(),
            "password": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions_per_page"].required = False  # a form without it (older clients) keeps "all"

    def clean_questions_per_page(self):
        return self.cleaned_data.get("questions_per_page") or 0

    def clean(self):
        data = super().clean()
        start, end = data.get("opens_at"), data.get("closes_at")
        if start and end and end <= start:
            self.add_error("closes_at", _("The end must be after the start."))
        return data


class NewQuizForm(QuizSettingsForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    instructions = forms.CharField(
        label=gettext_lazy("Instructions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    field_order = ["title", "instructions"]


def _quiz(course, pk) -> Quiz:
    return get_object_or_404(
        Quiz.objects.select_related("item__course", "item__section"), item__course=course, item__pk=pk
    )


def _settings(form) -> dict:
    return {name: form.cleaned_data[name] for name in quiz_builder.SETTINGS_FIELDS}


@login_required
def quiz_new(request: HttpRequest, uid, section_pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    section = get_object_or_404(Section, course=course, pk=section_pk)
    form = NewQuizForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quiz = create_quiz(
            actor=request.user,
            section=section,
            title=form.cleaned_data["title"],
            instructions=form.cleaned_data["instructions"],
            **_settings(form),
        )
        messages.success(request, _("Quiz created. Now add its questions."))
        return redirect("courses:quiz_builder", uid=course.uid, pk=quiz.item_id)
    return render(request, "courses/quiz_builder_new.html", {"course": course, "section": section, "form": form})


@login_required
def builder(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    form = QuizSettingsForm(request.POST or None, instance=quiz)
    if request.method == "POST":
        if form.is_valid():
            quiz_builder.update_settings(actor=request.user, quiz=quiz, **_settings(form))
            messages.success(request, _("Quiz settings saved."))
            return redirect("courses:quiz_builder", uid=course.uid, pk=pk)
        messages.error(request, _("Please correct the errors below."))
    slots = list(quiz.slots.select_related("version__question", "draw_category", "paper__paper_set__blueprint"))
    for slot in slots:
        slot.type_name = type_label(slot.version.qtype) if slot.version_id else ""
    attempts = Attempt.objects.filter(quiz=quiz)
    variant_set = _variant_set([s for s in slots if s.paper_id], quiz)
    slots = [s for s in slots if not s.paper_id]
    return render(
        request,
        "courses/quiz_builder.html",
        {
            "course": course,
            "quiz": quiz,
            "form": form,
            "slots": slots,
            "variant_set": variant_set,
            "question_count": variant_set["per_variant_max"] if variant_set else len(slots),
            "total": quiz_builder.total_points(quiz),
            "locked": attempts.exists(),
            "finished": attempts.filter(state__in=FINISHED).count(),
            "categories": quiz_builder.categories_for(request.user),
            "papers": quiz_builder.papers_for(request.user)[:50],
            "paper_sets": quiz_builder.paper_sets_for(request.user)[:50],
            "to_grade": grading_queue.pending_answers(course).filter(attempt__quiz=quiz).count(),
        },
    )


def _variant_set(slots, quiz) -> dict | None:
    """The set's slots grouped by variant for the builder's block ("4 paper codes, 40 questions each")."""
    if not slots:
        return None
    from courses.variant_sets import attempts_per_paper

    used = attempts_per_paper(quiz) if quiz_builder.has_attempts(quiz) else {}
    variants: dict[int, dict] = {}
    for slot in slots:
        v = variants.setdefault(slot.paper_id, {"paper": slot.paper, "slots": [], "points": 0})
        v["slots"].append(slot)
        v["points"] += slot.points
    rows = sorted(variants.values(), key=lambda v: v["paper"].code)
    for v in rows:
        v["attempts"] = used.get(v["paper"].pk, 0)
    sizes = [len(v["slots"]) for v in rows]
    return {
        "paper_set": slots[0].paper.paper_set,
        "variants": rows,
        "per_variant_min": min(sizes),
        "per_variant_max": max(sizes),
    }


class PickFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=200)
    grade = forms.ModelChoiceField(label=gettext_lazy("School grade"), queryset=None, required=False)
    subject = forms.ModelChoiceField(label=gettext_lazy("Subject"), queryset=None, required=False)
    topic = forms.ModelChoiceField(label=gettext_lazy("Topic"), queryset=None, required=False)
    qtype = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    level = forms.ModelChoiceField(label=gettext_lazy("Cognitive level"), queryset=None, required=False)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        from lms.curriculum.models import Grade, Subject, Topic
        from question_bank.labels import type_choices
        from question_bank.models import CognitiveLevel

        self.fields["grade"].queryset = Grade.objects.all()
        self.fields["subject"].queryset = Subject.objects.all()
        self.fields["topic"].queryset = Topic.objects.filter(
            subject=course.offering.subject, grade=course.offering.grade
        )
        self.fields["level"].queryset = CognitiveLevel.objects.select_related("scheme").order_by("scheme", "rank")
        self.fields["qtype"].choices = [("", "---------"), *type_choices()]


@login_required
def pick(request: HttpRequest, uid, pk: int) -> HttpResponse:
    """Find approved questions in the bank (the teacher's usable ones) and add the ticked ones."""
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    if request.method == "POST":
        try:
            added = quiz_builder.add_versions(
                actor=request.user,
                quiz=quiz,
                version_ids=[v for v in request.POST.getlist("version") if v.isdigit()],
                points=request.POST.get("points", "1"),
            )
        except quiz_builder.BuilderError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s question(s) added.") % {"n": len(added)})
            return redirect("courses:quiz_builder", uid=course.uid, pk=pk)
    initial = {"grade": course.offering.grade_id, "subject": course.offering.subject_id}
    data = request.GET if request.GET else None
    form = PickFilter(data, course=course, initial=initial)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else initial
    from question_bank.services import approved_versions

    versions = approved_versions(
        user=request.user,
        subject=filters.get("subject"),
        grade=filters.get("grade"),
        topic=filters.get("topic"),
        level=filters.get("level"),
        qtype=filters.get("qtype") or None,
    )
    if filters.get("q"):
        versions = versions.filter(search_text__contains=fold(filters["q"]))
    present = set(quiz.slots.exclude(version=None).values_list("version_id", flat=True))
    page = Paginator(versions.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for version in page.object_list:
        version.type_name = type_label(version.qtype)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/quiz_builder_pick.html",
        {
            "course": course,
            "quiz": quiz,
            "form": form,
            "page": page,
            "present": present,
            "query": query.urlencode(),
            "locked": quiz_builder.has_attempts(quiz),
        },
    )


@login_required
@require_POST
def draw(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    from question_bank.models import QuestionCategory

    category_id = request.POST.get("category", "")
    category = QuestionCategory.objects.filter(pk=category_id).first() if category_id.isdigit() else None
    count = request.POST.get("count", "1")
    try:
        if not count.strip().isdigit():
            raise quiz_builder.BuilderError(gettext_lazy("Draw between 1 and 100 questions."))
        added = quiz_builder.add_draw(
            actor=request.user,
            quiz=quiz,
            category=category,
            tags=request.POST.get("tags", ""),
            count=int(count),
            points=request.POST.get("points", "1"),
        )
    except quiz_builder.BuilderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s random question(s) added.") % {"n": len(added)})
    return redirect("courses:quiz_builder", uid=course.uid, pk=pk)


@login_required
@require_POST
def paper(request: HttpRequest, uid, pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    from question_bank.models import GeneratedPaper

    paper_id = request.POST.get("paper", "")
    chosen = GeneratedPaper.objects.filter(pk=paper_id).first() if paper_id.isdigit() else None
    try:
        added = quiz_builder.add_paper(actor=request.user, quiz=quiz, paper=chosen)
    except quiz_builder.BuilderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s question(s) of the variant added.") % {"n": len(added)})
    return redirect("courses:quiz_builder", uid=course.uid, pk=pk)


@login_required
@require_POST
def paper_set(request: HttpRequest, uid, pk: int) -> HttpResponse:
    """Add a blueprint's whole paper set (one variant per attempt), or remove it (``action=remove``)."""
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    from question_bank.models import GeneratedPaperSet

    try:
        if request.POST.get("action") == "remove":
            quiz_builder.remove_paper_set(actor=request.user, quiz=quiz)
            messages.success(request, _("The variant set was removed from the quiz."))
        else:
            set_id = request.POST.get("paper_set", "")
            chosen = GeneratedPaperSet.objects.filter(pk=set_id).first() if set_id.isdigit() else None
            added = quiz_builder.add_paper_set(actor=request.user, quiz=quiz, paper_set=chosen)
            papers = len({s.paper_id for s in added})
            messages.success(
                request,
                _("Variant set added: %(papers)s paper codes; each student gets one of them.") % {"papers": papers},
            )
    except quiz_builder.BuilderError as error:
        messages.error(request, error.message)
    return redirect("courses:quiz_builder", uid=course.uid, pk=pk)


@login_required
@require_POST
def slot_action(request: HttpRequest, uid, pk: int, slot_pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    get_object_or_404(quiz.slots, pk=slot_pk)
    action = request.POST.get("action")
    try:
        if action == "points":
            quiz_builder.set_points(actor=request.user, quiz=quiz, slot_id=slot_pk, points=request.POST.get("points"))
            messages.success(request, _("Points saved."))
        elif action in ("up", "down"):
            quiz_builder.move_slot(actor=request.user, quiz=quiz, slot_id=slot_pk, up=action == "up")
        elif action == "remove":
            quiz_builder.remove_slot(actor=request.user, quiz=quiz, slot_id=slot_pk)
            messages.success(request, _("Question removed from the quiz."))
        else:
            return HttpResponse(status=400)
    except quiz_builder.BuilderError as error:
        messages.error(request, error.message)
    return redirect("courses:quiz_builder", uid=course.uid, pk=pk)


@login_required
def regrade_slot(request: HttpRequest, uid, pk: int, slot_pk: int) -> HttpResponse:
    """GET: what a regrade would do; POST: switch the slot's version and regrade every finished attempt."""
    course = managed_course(request, uid)
    quiz = _quiz(course, pk)
    slot = get_object_or_404(quiz.slots.select_related("version__question", "draw_category"), pk=slot_pk)
    versions = regrade.target_versions(slot)
    report = None
    if request.method == "POST":
        chosen = None
        version_id = request.POST.get("version", "")
        if version_id:
            chosen = next((v for v in versions if str(v.pk) == version_id), None)
            if chosen is None:
                messages.error(request, _("Choose a version of this slot's question."))
                return redirect("courses:quiz_regrade", uid=course.uid, pk=pk, slot_pk=slot_pk)
        try:
            report = regrade.regrade_slot(actor=request.user, slot=slot, version=chosen)
        except regrade.RegradeError as error:
            messages.error(request, error.message)
        else:
            slot.refresh_from_db()
            messages.success(
                request,
                _("%(n)s finished attempt(s) regraded; the score of %(changed)s changed.")
                % {"n": report.regraded, "changed": report.changed},
            )
    newest = regrade.newest_approved(slot.version.question) if slot.version_id else None
    return render(
        request,
        "courses/quiz_builder_regrade.html",
        {
            "course": course,
            "quiz": quiz,
            "slot": slot,
            "versions": versions,
            "newest": newest,
            "report": report,
            "finished": Attempt.objects.filter(quiz=quiz, state__in=FINISHED).count(),
        },
    )


# --- Essay grading queue ---------------------------------------------------------------------------


@login_required
def grading(request: HttpRequest, uid) -> HttpResponse:
    course = managed_course(request, uid)
    answers = grading_queue.pending_answers(course)
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, grading_queue.version_of(a)) for a in page]
    return render(
        request,
        "courses/grading_queue.html",
        {
            "course": course,
            "page": page,
            "rows": rows,
            "errors": {},
            "values": {},
            "quizzes": course.items.filter(kind=ItemKind.QUIZ).count(),
        },
    )


@login_required
@require_POST
def grade_answer(request: HttpRequest, uid, answer_pk: int) -> HttpResponse:
    course = managed_course(request, uid)
    answer = get_object_or_404(
        AttemptAnswer.objects.select_related("attempt__quiz__item", "attempt__student", "slot"),
        pk=answer_pk,
        attempt__quiz__item__course=course,
        attempt__state__in=FINISHED,
    )
    points, comment = request.POST.get("points", ""), request.POST.get("comment", "")
    try:
        with transaction.atomic():
            grading_queue.grade(actor=request.user, answer=answer, points=points, comment=comment)
    except grading_queue.GradingError as error:
        answers = grading_queue.pending_answers(course)
        page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(a, grading_queue.version_of(a)) for a in page]
        if answer.pk not in {a.pk for a, _v in rows}:
            rows.insert(0, (answer, grading_queue.version_of(answer)))
        return render(
            request,
            "courses/grading_queue.html",
            {
                "course": course,
                "page": page,
                "rows": rows,
                "errors": {answer.pk: error.message},
                "values": {answer.pk: {"points": points, "comment": comment}},
                "quizzes": course.items.filter(kind=ItemKind.QUIZ).count(),
            },
            status=400,
        )
    messages.success(
        request,
        _("Saved %(points)s points for %(name)s.")
        % {"points": points.strip(), "name": answer.attempt.student.display_name},
    )
    return redirect("courses:grading_queue", uid=course.uid)
