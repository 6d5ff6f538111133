"""The JSON API of the attempt flow (used by the quiz page): start, read, save an answer, submit, review.

Session authentication (the site's cookie) and Django's CSRF check on writes. Who may do what:

* a student enrolled in the course who may open the quiz item starts attempts and works on their own;
* the course's managers (teachers, administrators above the school) read every attempt and its full review;
* anyone else — another student, a teacher of another class, someone of another school — gets 404,
  the same as for an attempt that does not exist.

Answer keys, feedback and fractions appear only in ``review`` and only as far as the quiz's review options
allow at that moment (after submit / after close). Errors are ``{"error": code, "message": text}`` with
the message in the user's language. The OpenAPI description is at ``/courses/api/openapi.json``.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import attempts as engine
from courses.access import is_manager, student_may_open
from courses.api_schema import schema
from courses.models import Attempt, AttemptAnswer, AttemptState, Item, ItemKind
from courses.models.quiz import FINISHED, REVIEW_RANK, Review
from question_bank.ir import QuestionData
from question_bank.models import QuestionVersion
from question_bank.rendering import LETTERS, safe_text, student_view

log = logging.getLogger(__name__)
JSON = {"json_dumps_params": {"ensure_ascii": False}}
MAX_BODY = 64 * 1024


def _error(code: str, message, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": str(message)}, status=status, **JSON)


def _signed_in(request) -> bool:
    return request.user.is_authenticated and request.user.is_active


def _body(request) -> dict:
    if len(request.body) > MAX_BODY:
        raise ValueError("body too large")
    if not request.body:
        return {}
    data = json.loads(request.body)
    if not isinstance(data, dict):
        raise ValueError("body must be an object")
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- Questions as the student sees them -----------------------------------------------------------


_RENDERED: dict[tuple[int, str, str], dict[str, Any]] = {}
_RENDERED_MAX = 4096


def _render(data: QuestionData) -> dict[str, Any]:
    """Everything of the student's view that does not depend on the frozen order (the costly part)."""
    view = student_view(data, prefix="r")
    out: dict[str, Any] = {"type": data.qtype, "stem_html": str(view.stem)}
    if data.qtype in engine.CHOICE_TYPES:
        out["input"] = "checkbox" if data.qtype == "multiple_choice" else "radio"
        out["_texts"] = [str(safe_text(a.text, a.format, data)) for a in data.answers]
        out["_numbering"] = data.option("answer_numbering", "abc")
    elif data.qtype == "ordering":
        out["input"] = "ordering"
        out["_items"] = [str(safe_text(str(item), "html", data)) for item in data.option("items", ()) or ()]
    elif data.qtype == "true_false_group":
        out["input"] = "truefalse_group"
        out["statements"] = [{"index": i, "html": str(p.label)} for i, p in enumerate(view.parts)]
    elif data.qtype == "matching":
        out["input"] = "matching"
        out["pairs"] = [
            {"index": int(p.name.rsplit("-", 1)[1]), "html": str(p.label), "choices": [c for c, _l in p.choices]}
            for p in view.parts
        ]
    elif data.qtype == "cloze":
        out["input"] = "cloze"
        pieces = []
        for piece in view.pieces:
            if hasattr(piece, "kind"):
                pieces.append(
                    {
                        "part": int(piece.name.rsplit("-", 1)[1]) + 1,
                        "input": piece.kind,
                        "choices": [{"value": int(v), "html": str(h)} for v, h in piece.choices],
                    }
                )
            else:
                pieces.append({"html": str(piece)})
        out["pieces"] = pieces
    elif view.parts:
        out["input"] = view.parts[0].kind
    else:
        out["input"] = "none"
    return out


def _shown(rendered: dict[str, Any], order: list[int]) -> dict[str, Any]:
    out = {k: v for k, v in rendered.items() if not k.startswith("_")}
    if "_texts" in rendered:
        texts = [rendered["_texts"][i] for i in order]
        letters = LETTERS.get(rendered["_numbering"])
        if letters is not None:
            texts = [f"{letters[i]}. {h}" if i < len(letters) else h for i, h in enumerate(texts)]
        out["choices"] = [{"value": n, "html": h} for n, h in enumerate(texts)]
    elif "_items" in rendered:
        out["items"] = [{"value": n, "html": rendered["_items"][i]} for n, i in enumerate(order)]
    return out


def question_json(data: QuestionData, order: list[int]) -> dict[str, Any]:
    """Stem and inputs, options in the frozen shown order, values = shown positions; never a key."""
    return _shown(_render(data), order)


def rendered_versions(version_ids) -> dict[int, dict[str, Any]]:
    """The order-free rendering of these question versions, kept per process by version, content and language.

    A version never changes, so a whole school starting the same quiz renders (and loads) each question once
    per server process, not once per student. The key holds the content hash too: a flushed and reloaded
    database (or a test's rolled-back one) may give the same id to another question.
    """
    language = get_language() or ""
    keys = dict(QuestionVersion.objects.filter(pk__in=version_ids).values_list("pk", "content_hash"))
    found, missing = {}, []
    for pk, content_hash in keys.items():
        hit = _RENDERED.get((pk, content_hash, language))
        if hit is None:
            missing.append(pk)
        else:
            found[pk] = hit
    if missing:
        if len(_RENDERED) + len(missing) > _RENDERED_MAX:
            _RENDERED.clear()
        for version in QuestionVersion.objects.filter(pk__in=missing):
            found[version.pk] = _RENDERED[(version.pk, version.content_hash, language)] = _render(version.content)
    return found


def _versions(attempt: Attempt) -> dict[int, QuestionVersion]:
    return QuestionVersion.objects.in_bulk([v["version"] for v in attempt.variant])


def _slot_points(attempt: Attempt) -> dict[int, Decimal]:
    return dict(attempt.quiz.slots.values_list("pk", "points"))


def attempt_json(attempt: Attempt, viewer=None) -> dict[str, Any]:
    """The attempt as the quiz page gets it: questions only while it is in progress.

    Its own student (``viewer``) also gets the attempt's save token while it is in progress.
    """
    questions = []
    if attempt.state == AttemptState.IN_PROGRESS:
        rendered = rendered_versions([v["version"] for v in attempt.variant])
        points = _slot_points(attempt)
        saved = {a.slot_id: a for a in attempt.answers.all()}
        for n, entry in enumerate(attempt.variant, start=1):
            answer = saved.get(entry["slot"])
            questions.append(
                {
                    "slot": entry["slot"],
                    "number": n,
                    "points": _dec(points.get(entry["slot"])),
                    **_shown(rendered[entry["version"]], entry["order"]),
                    "response": answer.response if answer else None,
                    "seq": answer.seq if answer else 0,
                    "saved_at": _iso(answer.saved_at) if answer else None,
                }
            )
    return {
        "id": str(attempt.uid),
        "quiz": attempt.quiz.item_id,
        "title": attempt.quiz.item.title,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "grace_seconds": int(engine.grace().total_seconds()),
        "server_time": _iso(timezone.now()),
        "finished_at": _iso(attempt.finished_at),
        "questions_per_page": attempt.quiz.questions_per_page,
        "questions": questions,
        **(
            {"save_token": engine.save_token(attempt)}
            if viewer is not None and viewer.pk == attempt.student_id and questions
            else {}
        ),
    }


# --- Review ---------------------------------------------------------------------------------------


def review_level(attempt: Attempt, user, now=None) -> str:
    if is_manager(user, attempt.quiz.item.course):
        return Review.ANSWERS
    if attempt.state not in FINISHED:
        return Review.NOTHING
    quiz = attempt.quiz
    return quiz.review_after_close if engine.is_closed(quiz, now) else quiz.review_after_submit


def key_json(data: QuestionData, order: list[int]) -> Any:
    """The correct answer in the shapes students send (shown positions)."""
    qtype = data.qtype
    if qtype == "single_choice":
        return next((n for n, i in enumerate(order) if data.answers[i].fraction == 1), None)
    if qtype == "multiple_choice":
        return [n for n, i in enumerate(order) if data.answers[i].fraction > 0]
    if qtype == "true_false":
        return bool(data.answers and data.answers[0].fraction == 1)
    if qtype == "true_false_group":
        return [bool(s.get("correct")) for s in data.option("statements", ()) or ()]
    if qtype in ("short_answer", "numeric", "short_numeric_2025"):
        return [a.text for a in data.answers if a.fraction == 1]
    if qtype == "matching":
        subs = data.option("subquestions", ()) or ()
        return {str(i): s.get("answer", "") for i, s in enumerate(subs) if str(s.get("text", "")).strip()}
    if qtype == "ordering":
        return [order.index(j) for j in range(len(order))]
    return None


def review_json(attempt: Attempt, level: str) -> dict[str, Any]:
    rank = REVIEW_RANK[level]
    out: dict[str, Any] = {"id": str(attempt.uid), "state": attempt.state, "review": level}
    if rank >= 1:
        grade = engine.quiz_grade(attempt.quiz, attempt.student)
        out |= {
            "score": _dec(attempt.score),
            "max_score": _dec(attempt.max_score),
            "needs_grading": attempt.needs_grading,
            "quiz_grade": _dec(grade),
            "max_grade": _dec(attempt.quiz.max_grade),
        }
    if rank >= 2:
        versions = _versions(attempt)
        points = _slot_points(attempt)
        answers = {a.slot_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
        questions = []
        for n, entry in enumerate(attempt.variant, start=1):
            data = versions[entry["version"]].content
            answer = answers.get(entry["slot"])
            q = {
                "slot": entry["slot"],
                "number": n,
                "max_points": _dec(points.get(entry["slot"])),
                **question_json(data, entry["order"]),
                "response": answer.response if answer else None,
                "points": _dec(answer.points) if answer else None,
                "needs_grading": bool(answer and answer.needs_grading),
                "correct": None
                if not answer or answer.fraction is None
                else ("right" if answer.fraction == 1 else "wrong" if answer.fraction == 0 else "partial"),
            }
            if rank >= 3:
                q["key"] = key_json(data, entry["order"])
                q["feedback"] = answer.feedback if answer else ""
                q["general_feedback_html"] = str(safe_text(data.general_feedback, "html", data))
            questions.append(q)
        out["questions"] = questions
    return out


# --- Views ----------------------------------------------------------------------------------------


def _quiz_item(request, item_id: int) -> Item:
    item = Item.objects.select_related("course", "quiz").filter(pk=item_id, kind=ItemKind.QUIZ).first()
    if item is None or not hasattr(item, "quiz") or not student_may_open(request.user, item):
        raise Http404
    return item


def _attempt(request, uid, *, own: bool) -> Attempt:
    attempt = Attempt.objects.select_related("quiz__item__course", "student").filter(uid=uid).first()
    if attempt is None:
        raise Http404
    mine = attempt.student_id == request.user.pk and student_may_open(request.user, attempt.quiz.item)
    if mine or (not own and is_manager(request.user, attempt.quiz.item.course)):
        return attempt
    raise Http404


def _guard(view=None, *, token: bool = False):
    """Sign-in check and error mapping; with ``token``, a valid X-Attempt-Token header stands in for the session."""

    def decorate(view):
        def wrapped(request: HttpRequest, *args, **kwargs):
            claims = engine.read_save_token(request.headers.get("X-Attempt-Token", "")) if token else None
            if claims is None and not _signed_in(request):
                return _error("not_signed_in", _("Please sign in again."), 401)
            try:
                return view(request, *args, claims=claims, **kwargs) if token else view(request, *args, **kwargs)
            except Http404:
                return _error("not_found", _("Not found."), 404)
            except (ValueError, json.JSONDecodeError):
                return _error("bad_request", _("The request could not be read."), 400)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return never_cache(wrapped)

    return decorate(view) if view is not None else decorate


@require_http_methods(["GET", "POST"])
@_guard
def quiz_attempts(request: HttpRequest, item_id: int) -> JsonResponse:
    """GET: the quiz and my attempts; POST {password}: start (or continue) an attempt."""
    item = _quiz_item(request, item_id)
    quiz = item.quiz
    if request.method == "GET":
        mine = Attempt.objects.filter(quiz=quiz, student=request.user).order_by("number")
        return JsonResponse(
            {
                "quiz": item.pk,
                "title": item.title,
                "opens_at": _iso(quiz.opens_at),
                "closes_at": _iso(quiz.closes_at),
                "time_limit_minutes": quiz.time_limit_minutes,
                "attempts_allowed": quiz.attempts_allowed,
                "attempts_left": engine.attempts_left(quiz, request.user),
                "grading_method": quiz.grading_method,
                "password_required": bool(quiz.password),
                "is_open": engine.is_open(quiz),
                "grade": _dec(engine.quiz_grade(quiz, request.user)),
                "attempts": [
                    {"id": str(a.uid), "number": a.number, "state": a.state, "finished_at": _iso(a.finished_at)}
                    for a in mine
                ],
            },
            **JSON,
        )
    body = _body(request)
    try:
        attempt = engine.start_attempt(quiz=quiz, student=request.user, password=str(body.get("password", "")))
    except engine.AttemptError as exc:
        return _error(exc.code, exc.message, 403 if exc.code == "password" else 409)
    return JsonResponse(attempt_json(attempt, request.user), status=201, **JSON)


@require_GET
@_guard
def attempt_detail(request: HttpRequest, uid) -> JsonResponse:
    attempt = _attempt(request, uid, own=False)
    engine.close_if_overdue(attempt)
    attempt.refresh_from_db()
    return JsonResponse(attempt_json(attempt, request.user), **JSON)


@require_http_methods(["PUT", "POST"])
@_guard(token=True)
def save_answer(request: HttpRequest, uid, slot_id: int, claims=None) -> JsonResponse:
    """{response, seq}: store if seq is newer; 200 with status saved / duplicate / stale.

    With the attempt's token (X-Attempt-Token, from attempt_json) the save needs no session lookup: two
    statements in one transaction, the path a whole school's exam takes (benchmarks/quiz_autosave.py).
    """
    attempt = None
    if claims is None:
        attempt = engine.save_target(uid, request.user)
        if attempt is None:
            raise Http404
    body = _body(request)
    if "seq" not in body or "response" not in body:
        return _error("bad_request", _("The answer could not be saved (missing fields)."), 400)
    try:
        if claims is not None:
            result = engine.save_answer_with_token(
                claims=claims, uid=uid, slot_id=slot_id, response=body["response"], seq=body["seq"]
            )
            if result is None:
                raise Http404
        else:
            result = engine.save_answer(attempt=attempt, slot_id=slot_id, response=body["response"], seq=body["seq"])
    except engine.AttemptError as exc:
        status = 400 if exc.code in ("bad_seq", "too_long", "bad_slot") else 409
        if status == 409:
            log.info("quiz answer refused", extra={"attempt": str(uid), "code": exc.code})
        return _error(exc.code, exc.message, status)
    return JsonResponse(
        {"status": result.status, "slot": slot_id, "seq": result.seq, "saved_at": _iso(result.saved_at)}, **JSON
    )


@require_POST
@_guard
def submit(request: HttpRequest, uid) -> JsonResponse:
    attempt = _attempt(request, uid, own=True)
    attempt = engine.submit_attempt(attempt=attempt)
    return JsonResponse(
        {"id": str(attempt.uid), "state": attempt.state, "finished_at": _iso(attempt.finished_at)}, **JSON
    )


@require_GET
@_guard
def review(request: HttpRequest, uid) -> JsonResponse:
    attempt = _attempt(request, uid, own=False)
    engine.close_if_overdue(attempt)
    attempt.refresh_from_db()
    level = review_level(attempt, request.user)
    if level == Review.NOTHING:
        return _error("review_not_allowed", _("The review of this attempt is not open yet."), 403)
    return JsonResponse(review_json(attempt, level), **JSON)


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(schema(request.build_absolute_uri("/")), **JSON)


def quiz_item_context(request, item) -> dict:
    """Context of the quiz item page (courses.kinds): settings, my attempts, my grade."""
    quiz = getattr(item, "quiz", None)
    if quiz is None:
        return {"quiz": None}
    mine = list(Attempt.objects.filter(quiz=quiz, student=request.user).order_by("number"))
    return {
        "quiz": quiz,
        "attempts": mine,
        "attempts_left": engine.attempts_left(quiz, request.user),
        "quiz_open": engine.is_open(quiz),
        "grade": engine.quiz_grade(quiz, request.user),
    }
