"""The student's quiz pages: start (or continue) an attempt, the attempt page, the review.

The attempt page is rendered on the server (questions as ``courses.api.attempt_json`` gives them: no keys),
then ``frontend/src/quiz.js`` drives the JSON API (``courses/api.py``) from it: answers saved on change with
the client's sequence number, queued in localStorage while offline and resent in order, the countdown from
the server's deadline and clock, submit. The review page shows ``courses.api.review_json`` at the level the
quiz's review options allow now (``courses.api.review_level``), the same data as the review endpoint.

Who may see what is the API's rule: the attempt's student (the attempt and its review); the course's managers
(the review, everything); anyone else 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from courses import api
from courses import attempts as engine
from courses.access import is_manager, student_may_open
from courses.models import Attempt, AttemptState, Item, ItemKind
from courses.models.quiz import Review
from courses.variant_sets import paper_code


def _quiz_item(request, uid, pk: int) -> Item:
    item = Item.objects.select_related("course", "quiz", "section").filter(pk=pk, course__uid=uid, kind=ItemKind.QUIZ)
    item = item.first()
    if item is None or not hasattr(item, "quiz") or not student_may_open(request.user, item):
        raise Http404
    return item


def _attempt(request, uid, aid, *, own: bool) -> Attempt:
    attempt = (
        Attempt.objects.select_related("quiz__item__course", "quiz__item__section", "student")
        .filter(uid=aid, quiz__item__course__uid=uid)
        .first()
    )
    if attempt is None:
        raise Http404
    mine = attempt.student_id == request.user.pk and student_may_open(request.user, attempt.quiz.item)
    if mine or (not own and is_manager(request.user, attempt.quiz.item.course)):
        return attempt
    raise Http404


@login_required
@require_POST
def quiz_start(request: HttpRequest, uid, pk: int) -> HttpResponse:
    """Start an attempt (or continue the one in progress) and open it; a refusal is shown on the quiz page."""
    item = _quiz_item(request, uid, pk)
    if is_manager(request.user, item.course):
        raise Http404
    try:
        attempt = engine.start_attempt(
            quiz=item.quiz, student=request.user, password=request.POST.get("password", "")[:100]
        )
    except engine.AttemptError as exc:
        messages.error(request, str(exc.message))
        return redirect("courses:item", uid=item.course.uid, pk=item.pk)
    return redirect("courses:quiz_attempt", uid=item.course.uid, aid=attempt.uid)


def _strings() -> dict[str, str]:
    return {
        "saved_at": _("Saved at %(time)s"),
        "saving": _("Saving…"),
        "queued": _("Kept on this device, will be sent"),
        "offline": _("Connection lost – your answers are kept on this device and will be sent again"),
        "back_online": _("Connection restored – all answers are saved."),
        "time_left": _("Time left"),
        "time_up": _("Time is up"),
        "five_minutes": _("5 minutes left."),
        "one_minute": _("1 minute left."),
        "unanswered": _("Unanswered questions: %(list)s."),
        "all_answered": _("You have answered every question."),
        "question": _("Question %(n)s"),
        "submit_offline": _("You are offline. Submit again when the connection is back; nothing is lost."),
        "not_saved": _("Could not save"),
        "error": _("Something went wrong. Please try again."),
        "answered": _("answered"),
        "not_answered": _("not answered"),
    }


@login_required
@require_GET
@never_cache
def attempt_page(request: HttpRequest, uid, aid) -> HttpResponse:
    attempt = _attempt(request, uid, aid, own=True)
    engine.close_if_overdue(attempt)
    attempt.refresh_from_db()
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("courses:quiz_review", uid=uid, aid=attempt.uid)
    data = api.attempt_json(attempt, request.user)
    item = attempt.quiz.item
    config = {
        "attempt": str(attempt.uid),
        "deadline": data["deadline"],
        "server_time": data["server_time"],
        "save_url": reverse("courses:api_save_answer", args=[attempt.uid, 0]).replace("/0/", "/{slot}/"),
        "submit_url": reverse("courses:api_submit", args=[attempt.uid]),
        "save_token": data.get("save_token", ""),
        "review_url": reverse("courses:quiz_review", args=[uid, attempt.uid]),
        "per_page": data["questions_per_page"],
        "questions": [
            {"slot": q["slot"], "number": q["number"], "seq": q["seq"], "response": q["response"]}
            for q in data["questions"]
        ],
        "strings": _strings(),
    }
    return render(
        request,
        "courses/quiz_attempt.html",
        {"course": item.course, "item": item, "attempt": attempt, "data": data, "config": config},
    )


def describe(q: dict, value) -> list:
    """A response (or key) in the API's shapes → lines to show, choice texts as the question shows them."""
    if value is None or value == "" or value == [] or value == {}:
        return []
    kind = q.get("input")
    yes, no = _("True"), _("False")
    if kind in ("radio", "checkbox"):
        html = {c["value"]: c["html"] for c in q.get("choices", [])}
        values = value if isinstance(value, list) else [value]
        return [mark_safe(html[v]) for v in values if v in html]  # noqa: S308 (cleaned by the question bank)
    if kind == "truefalse":
        return [yes if value else no]
    if kind == "truefalse_group" and isinstance(value, list):
        out = []
        for s, v in zip(q.get("statements", []), value, strict=False):
            verdict = "—" if v is None else (yes if v else no)
            out.append(format_html("{}: {}", mark_safe(s["html"]), verdict))  # noqa: S308
        return out
    if kind == "matching" and isinstance(value, dict):
        labels = {str(p["index"]): p["html"] for p in q.get("pairs", [])}
        return [format_html("{} → {}", mark_safe(labels.get(str(k), k)), v) for k, v in value.items()]  # noqa: S308
    if kind == "ordering" and isinstance(value, list):
        html = {i["value"]: i["html"] for i in q.get("items", [])}
        return [format_html("{}. {}", n, mark_safe(html.get(v, ""))) for n, v in enumerate(value, 1)]  # noqa: S308
    if kind == "cloze" and isinstance(value, dict):
        return [format_html("({}) {}", k, v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


@login_required
@require_GET
@never_cache
def review_page(request: HttpRequest, uid, aid) -> HttpResponse:
    attempt = _attempt(request, uid, aid, own=False)
    engine.close_if_overdue(attempt)
    attempt.refresh_from_db()
    if attempt.state == AttemptState.IN_PROGRESS and attempt.student_id == request.user.pk:
        return redirect("courses:quiz_attempt", uid=uid, aid=attempt.uid)
    level = api.review_level(attempt, request.user, timezone.now())
    review = api.review_json(attempt, level) if level != Review.NOTHING else None
    for q in (review or {}).get("questions", []):
        q["response_parts"] = describe(q, q.get("response"))
        if "key" in q:
            q["key_parts"] = describe(q, q["key"])
    item = attempt.quiz.item
    return render(
        request,
        "courses/quiz_review.html",
        {
            "course": item.course,
            "item": item,
            "attempt": attempt,
            "level": level,
            "review": review,
            "manager": is_manager(request.user, item.course),
            "paper_code": paper_code(attempt),
        },
    )
