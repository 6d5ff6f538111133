"""The attempt API: the flow a quiz page uses, keys kept back until the review allows, and who gets 404."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import attempts as engine
from courses.models import Attempt, AttemptState, Review
from tests.courses.test_quiz_fixtures import SECRET, build_quiz, shown

pytestmark = pytest.mark.django_db
FORBIDDEN_WORDS = ('"key"', '"fraction"', '"feedback"', '"correct"', '"general_feedback_html"', SECRET)


@pytest.fixture
def qw(world):
    return build_quiz(world, review_after_submit=Review.SCORE, review_after_close=Review.ANSWERS)


def call(client, method, url, body=None):
    data = json.dumps(body) if body is not None else ""
    response = getattr(client, method)(url, data=data, content_type="application/json")
    return response, (
        response.json() if response.headers.get("Content-Type", "").startswith("application/json") else None
    )


def urls(qw, attempt_uid=None, slot=None):
    out = {"start": reverse("courses:api_quiz_attempts", args=[qw.quiz.item_id])}
    if attempt_uid:
        out |= {
            "get": reverse("courses:api_attempt", args=[attempt_uid]),
            "submit": reverse("courses:api_submit", args=[attempt_uid]),
            "review": reverse("courses:api_review", args=[attempt_uid]),
        }
        if slot:
            out["save"] = reverse("courses:api_save_answer", args=[attempt_uid, slot])
    return out


def assert_no_keys(text: str):
    for word in FORBIDDEN_WORDS:
        assert word not in text, word


def test_the_whole_flow_and_no_key_before_the_review_allows(qw, client):
    student = qw.world.cast.student
    client.force_login(student)
    seen: list[str] = []
    r, info = call(client, "get", urls(qw)["start"])
    assert r.status_code == 200 and info["attempts_left"] == 2
    r, attempt = call(client, "post", urls(qw)["start"], {})
    assert r.status_code == 201, attempt
    seen.append(r.content.decode())
    assert attempt["state"] == "in_progress" and len(attempt["questions"]) == 4
    single = next(q for q in attempt["questions"] if q["type"] == "single_choice")
    assert [c["value"] for c in single["choices"]] == [0, 1, 2, 3]
    group = next(q for q in attempt["questions"] if q["type"] == "true_false_group")
    assert len(group["statements"]) == 4
    row = Attempt.objects.get(uid=attempt["id"])
    slot = qw.slot_of("single_choice")
    u = urls(qw, attempt["id"], slot.pk)
    r, saved = call(client, "put", u["save"], {"response": shown(row, slot, 0), "seq": 1})
    assert r.status_code == 200 and saved["status"] == "saved" and saved["saved_at"]
    seen.append(r.content.decode())
    r, again = call(client, "put", u["save"], {"response": shown(row, slot, 0), "seq": 1})
    assert again["status"] == "duplicate"
    r, _body = call(client, "put", u["save"], {"response": shown(row, slot, 1), "seq": 0})
    assert r.status_code == 400
    group_slot = qw.slot_of("true_false_group")
    r, _ = call(
        client,
        "post",
        reverse("courses:api_save_answer", args=[attempt["id"], group_slot.pk]),
        {"response": [True, False, True, False], "seq": 2},
    )
    assert r.status_code == 200
    r, current = call(client, "get", u["get"])
    seen.append(r.content.decode())
    mine = next(q for q in current["questions"] if q["slot"] == slot.pk)
    assert mine["response"] == shown(row, slot, 0) and mine["seq"] == 1
    # no review while in progress
    r, body = call(client, "get", u["review"])
    assert r.status_code == 403 and body["error"] == "review_not_allowed"
    seen.append(r.content.decode())
    r, done = call(client, "post", u["submit"])
    assert r.status_code == 200 and done["state"] == "submitted"
    seen.append(r.content.decode())
    # after submit: the score only
    r, review = call(client, "get", u["review"])
    seen.append(r.content.decode())
    assert review["review"] == "score" and review["score"] == "2.00" and "questions" not in review
    for text in seen:
        assert_no_keys(text)
    # a save after submit is refused
    r, body = call(client, "put", u["save"], {"response": 2, "seq": 9})
    assert r.status_code == 409 and body["error"] == "finished"
    # once the quiz closes: answers, keys and feedback
    qw.quiz.closes_at = timezone.now() - timedelta(minutes=1)
    qw.quiz.save()
    r, review = call(client, "get", u["review"])
    assert review["review"] == "answers"
    assert SECRET in r.content.decode()
    q_single = next(q for q in review["questions"] if q["slot"] == slot.pk)
    assert q_single["key"] == shown(row, slot, 0) and q_single["correct"] == "right"
    q_group = next(q for q in review["questions"] if q["slot"] == group_slot.pk)
    assert q_group["key"] == [True, False, True, False] and q_group["points"] == "1.00"


def test_review_responses_level_shows_answers_but_no_keys(world, client):
    qw = build_quiz(world, review_after_submit=Review.RESPONSES)
    client.force_login(world.cast.student)
    _r, attempt = call(client, "post", urls(qw)["start"], {})
    call(client, "post", urls(qw, attempt["id"])["submit"])
    r, review = call(client, "get", urls(qw, attempt["id"])["review"])
    assert review["review"] == "responses" and len(review["questions"]) == 4
    assert '"key"' not in r.content.decode() and SECRET not in r.content.decode()


def test_a_save_after_the_deadline_is_refused_by_the_api(qw, client, settings):
    settings.QUIZ_GRACE_SECONDS = 5
    qw.quiz.time_limit_minutes = 10
    qw.quiz.save()
    client.force_login(qw.world.cast.student)
    _r, attempt = call(client, "post", urls(qw)["start"], {})
    slot = qw.slot_of("single_choice")
    u = urls(qw, attempt["id"], slot.pk)
    assert call(client, "put", u["save"], {"response": 0, "seq": 1})[0].status_code == 200
    Attempt.objects.filter(uid=attempt["id"]).update(deadline=timezone.now() - timedelta(seconds=6))
    r, body = call(client, "put", u["save"], {"response": 1, "seq": 2})
    assert r.status_code == 409 and body["error"] == "time_up"
    assert body["message"]
    row = Attempt.objects.get(uid=attempt["id"])
    assert row.state == AttemptState.CLOSED
    assert row.answers.get(slot=slot).response == 0


def test_wrong_password_and_closed_quiz_give_clear_errors(world, client):
    qw = build_quiz(world, password="abc")
    client.force_login(world.cast.student)
    r, body = call(client, "post", urls(qw)["start"], {"password": "x"})
    assert r.status_code == 403 and body["error"] == "password"
    assert call(client, "post", urls(qw)["start"], {"password": "abc"})[0].status_code == 201
    closed = build_quiz(world, closes_at=timezone.now() - timedelta(days=1))
    r, body = call(client, "post", urls(closed)["start"], {})
    assert r.status_code == 409 and body["error"] == "closed"
    r, body = call(client, "post", urls(qw)["start"], "not an object")
    assert r.status_code == 400


@pytest.mark.parametrize("who", ["other_student", "other_teacher", "outsider", "outsider_student", "outsider_admin"])
def test_people_outside_get_404_on_every_endpoint(qw, client, who):
    c = qw.world.cast
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    slot = qw.slot_of("single_choice")
    user = getattr(qw.world, who, None) or getattr(c, who)
    client.force_login(user)
    u = urls(qw, str(attempt.uid), slot.pk)
    for method, url, body in (
        ("get", u["start"], None),
        ("post", u["start"], {}),
        ("get", u["get"], None),
        ("put", u["save"], {"response": 1, "seq": 1}),
        ("post", u["submit"], None),
        ("get", u["review"], None),
    ):
        r, data = call(client, method, url, body)
        assert r.status_code == 404, (method, url, r.status_code)
        assert data["error"] == "not_found"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS and not attempt.answers.exists()
    assert not Attempt.objects.filter(student=user).exists()


def test_another_student_of_the_course_cannot_touch_my_attempt(qw, client):
    from courses import services
    from courses.models import EnrolmentSource

    c = qw.world.cast
    classmate = qw.world.other_student
    services.enrol(actor=c.teacher, course=qw.world.course, students=[classmate], source=EnrolmentSource.CLASS_LIST)
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    slot = qw.slot_of("single_choice")
    client.force_login(classmate)
    u = urls(qw, str(attempt.uid), slot.pk)
    assert call(client, "get", u["get"])[0].status_code == 404
    assert call(client, "put", u["save"], {"response": 1, "seq": 1})[0].status_code == 404
    assert call(client, "post", u["submit"])[0].status_code == 404
    assert call(client, "get", u["review"])[0].status_code == 404
    # the classmate's own start works and gives another attempt
    r, theirs = call(client, "post", u["start"], {})
    assert r.status_code == 201 and theirs["id"] != str(attempt.uid)


def test_the_course_teacher_reads_attempts_and_reviews_but_does_not_answer(qw, client):
    c = qw.world.cast
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    client.force_login(c.teacher)
    u = urls(qw, str(attempt.uid), qw.slot_of("single_choice").pk)
    assert call(client, "get", u["get"])[0].status_code == 200
    assert call(client, "put", u["save"], {"response": 1, "seq": 1})[0].status_code == 404
    assert call(client, "post", u["submit"])[0].status_code == 404
    engine.submit_attempt(attempt=attempt)
    r, review = call(client, "get", u["review"])
    assert r.status_code == 200 and review["review"] == "answers"


def test_anonymous_gets_401_and_the_openapi_document_is_served(qw, client):
    attempt = engine.start_attempt(quiz=qw.quiz, student=qw.world.cast.student)
    r, body = call(client, "get", urls(qw, str(attempt.uid))["get"])
    assert r.status_code == 401 and body["error"] == "not_signed_in"
    doc = client.get(reverse("courses:api_openapi")).json()
    assert doc["openapi"].startswith("3.1")
    assert "/courses/api/attempts/{uid}/answers/{slot}/" in doc["paths"]


def test_the_quiz_item_page_shows_settings_and_attempts(qw, client):
    client.force_login(qw.world.cast.student)
    r = client.get(reverse("courses:item", args=[qw.world.course.uid, qw.quiz.item_id]))
    assert r.status_code == 200
    assert "Kiểm tra 15 phút" in r.content.decode()


# --- The attempt's save token (saves without a session lookup) --------------------------------------


def token_put(client, url, token, body):
    headers = {"X-Attempt-Token": token}
    response = client.put(url, data=json.dumps(body), content_type="application/json", headers=headers)
    return response, response.json()


def test_the_save_token_saves_without_a_session_and_only_for_its_own_attempt(qw, client):
    from courses import services
    from courses.models import EnrolmentSource

    c = qw.world.cast
    client.force_login(c.student)
    r, mine = call(client, "post", urls(qw)["start"], {})
    token = mine["save_token"]
    slot = qw.slot_of("single_choice")
    client.logout()  # the token alone carries the save
    u = urls(qw, mine["id"], slot.pk)
    r, body = token_put(client, u["save"], token, {"response": 1, "seq": 5})
    assert r.status_code == 200 and body["status"] == "saved"
    assert token_put(client, u["save"], token, {"response": 2, "seq": 4})[1]["status"] == "stale"
    stored = Attempt.objects.get(uid=mine["id"]).answers.get(slot=slot)
    assert (stored.response, stored.seq) == (1, 5)
    # a classmate's attempt cannot be written with my token, and a forged token is no token at all
    classmate = qw.world.other_student
    services.enrol(actor=c.teacher, course=qw.world.course, students=[classmate], source=EnrolmentSource.CLASS_LIST)
    theirs = engine.start_attempt(quiz=qw.quiz, student=classmate)
    other_url = urls(qw, str(theirs.uid), theirs.variant[0]["slot"])["save"]
    assert token_put(client, other_url, token, {"response": 1, "seq": 9})[0].status_code == 404
    assert token_put(client, u["save"], token[:-2] + "xx", {"response": 3, "seq": 9})[0].status_code == 401
    assert not theirs.answers.exists()
    assert Attempt.objects.get(uid=mine["id"]).answers.get(slot=slot).seq == 5


def test_the_save_token_stops_with_the_enrolment_and_the_attempt(qw, client):
    from courses import services
    from courses.models import Enrolment

    c = qw.world.cast
    client.force_login(c.student)
    mine = call(client, "post", urls(qw)["start"], {})[1]
    token, save = mine["save_token"], urls(qw, mine["id"], qw.slot_of("single_choice").pk)["save"]
    client.logout()
    services.unenrol(actor=c.teacher, enrolment=Enrolment.objects.get(course=qw.world.course, student=c.student))
    assert token_put(client, save, token, {"response": 1, "seq": 1})[0].status_code == 404
    Enrolment.objects.filter(student=c.student).update(is_active=True)
    engine.submit_attempt(attempt=Attempt.objects.get(uid=mine["id"]))
    r, body = token_put(client, save, token, {"response": 1, "seq": 2})
    assert r.status_code == 409 and body["error"] == "finished"


def test_the_save_token_refuses_a_save_after_the_deadline(qw, client, settings):
    settings.QUIZ_GRACE_SECONDS = 0
    qw.quiz.time_limit_minutes = 1
    qw.quiz.save()
    client.force_login(qw.world.cast.student)
    mine = call(client, "post", urls(qw)["start"], {})[1]
    save = urls(qw, mine["id"], qw.slot_of("single_choice").pk)["save"]
    Attempt.objects.filter(uid=mine["id"]).update(deadline=timezone.now() - timedelta(seconds=5))
    r, body = token_put(client, save, mine["save_token"], {"response": 1, "seq": 1})
    assert r.status_code == 409 and body["error"] == "time_up"
    assert Attempt.objects.get(uid=mine["id"]).state == AttemptState.CLOSED


def test_only_the_attempts_own_student_gets_its_save_token(qw, client):
    c = qw.world.cast
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    client.force_login(c.teacher)
    r, seen = call(client, "get", urls(qw, str(attempt.uid))["get"])
    assert r.status_code == 200 and "save_token" not in seen
    client.force_login(c.student)
    assert "save_token" in call(client, "get", urls(qw, str(attempt.uid))["get"])[1]


@pytest.mark.integration
def test_token_saves_are_prepared_on_postgresql_and_still_save_with_preparing_off(qw, client):
    """The exam's save path is planned once per connection; turning preparing off changes nothing a student sees."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("integration tests run against PostgreSQL (DATABASE_URL)")
    client.force_login(qw.world.cast.student)
    _r, mine = call(client, "post", urls(qw)["start"], {})
    slot = qw.slot_of("single_choice")
    save = urls(qw, mine["id"], slot.pk)["save"]
    options = connection.settings_dict["OPTIONS"]
    assert options.get("prepare_threshold") == 1  # the default of DATABASE_PREPARE_THRESHOLD
    for seq in (1, 2, 3):
        assert token_put(client, save, mine["save_token"], {"response": seq % 2, "seq": seq})[1]["status"] == "saved"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO %%attemptanswer%%'"
        )
        assert cursor.fetchall(), "the token save was not prepared"
    saved_threshold = options["prepare_threshold"]
    options["prepare_threshold"] = None
    try:
        r, body = token_put(client, save, mine["save_token"], {"response": 1, "seq": 4})
    finally:
        options["prepare_threshold"] = saved_threshold
    assert r.status_code == 200 and body["status"] == "saved"
    stored = Attempt.objects.get(uid=mine["id"]).answers.get(slot=slot)
    assert (stored.response, stored.seq) == (1, 4)
