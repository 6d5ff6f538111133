"""A quiz built from a blueprint's whole paper set (one mã đề per attempt), and questions per page."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import attempts as engine
from courses import quiz_builder
from courses.models import Quiz
from courses.variant_sets import paper_code
from lms.accounts.models import Role
from lms.curriculum.models import Grade, Subject
from question_bank.models import Blueprint, GeneratedPaper, GeneratedPaperSet, LevelScheme
from tests.courses.conftest import person
from tests.courses.test_quiz_builder import approved, builder_url, new_quiz

pytestmark = pytest.mark.django_db

# Three paper codes of two questions each, with different totals so an attempt's maximum shows its variant.
POINTS = {"101": ("0.5", "0.5"), "102": ("1", "1"), "103": ("1.5", "1.5")}


def blueprint_of(world, *, owner=None, school=None, title="Ma trận cuối kì"):
    cast = world.cast
    return Blueprint.objects.create(
        owner=owner or cast.teacher,
        school=school or cast.school,
        subject=Subject.objects.get(slug="toan"),
        grade=Grade.objects.get(number=6),
        title=title,
        scheme=LevelScheme.objects.get(slug="bon-muc"),
    )


def paper_set_of(world, blueprint=None):
    questions = [approved(world, f"Câu {n}") for n in range(4)]
    blueprint = blueprint or blueprint_of(world)
    paper_set = GeneratedPaperSet.objects.create(blueprint=blueprint, created_by=blueprint.owner, seed="s", matrix={})
    for n, (code, points) in enumerate(POINTS.items()):
        picked = [questions[n], questions[(n + 1) % 4]]
        items = [
            {"id": q.current_version_id, "part": "I", "number": i, "points": p, "order": [], "key": []}
            for i, (q, p) in enumerate(zip(picked, points, strict=True), start=1)
        ]
        GeneratedPaper.objects.create(
            paper_set=paper_set, code=code, data={"code": code, "items": items}, version_ids=[i["id"] for i in items]
        )
    return paper_set


def students(world, n):
    return [
        person(f"hsv{i}", f"Học Sinh {i}", Role.STUDENT, world.cast.school, school_class=world.cast.class_6a)
        for i in range(n)
    ]


def set_quiz(world, client_for, **extra):
    paper_set = paper_set_of(world)
    client, _ = new_quiz(world, client_for, **extra)
    quiz = Quiz.objects.get()
    response = client.post(builder_url(world, quiz, "quiz_paper_set"), {"paper_set": paper_set.pk}, follow=True)
    assert "3 mã đề" in response.content.decode()
    return client, quiz, paper_set


def papers_of(attempt) -> set[str]:
    slots = {s.pk: s for s in attempt.quiz.slots.select_related("paper")}
    return {slots[e["slot"]].paper.code for e in attempt.variant}


def test_a_teacher_adds_a_whole_set_and_sees_it_as_one_block(world, client_for):
    client, quiz, _set = set_quiz(world, client_for)
    slots = list(quiz.slots.select_related("paper"))
    assert len(slots) == 6 and {s.paper.code for s in slots} == set(POINTS)
    assert [s.points for s in slots if s.paper.code == "103"] == [Decimal("1.5"), Decimal("1.5")]
    page = client.get(builder_url(world, quiz)).content.decode()
    assert "Bộ đề: Ma trận cuối kì" in page and "3 mã đề, 2 câu mỗi mã đề" in page
    assert "Mã đề 101" in page and "Gỡ bộ đề" in page
    # Other questions cannot be mixed into a set quiz
    extra = approved(world, "Câu thêm")
    refused = client.post(
        builder_url(world, quiz, "quiz_pick"), {"version": [extra.current_version_id], "points": "1"}, follow=True
    )
    assert "bộ mã đề" in refused.content.decode() and quiz.slots.count() == 6
    # One question of the set cannot be removed or re-pointed alone
    refused = client.post(builder_url(world, quiz, "quiz_slot", slots[0].pk), {"action": "remove"}, follow=True)
    assert "gỡ cả bộ đề" in refused.content.decode() and quiz.slots.count() == 6
    # The set goes as a whole
    client.post(builder_url(world, quiz, "quiz_paper_set"), {"action": "remove"})
    assert quiz.slots.count() == 0


def test_a_set_is_refused_in_a_quiz_that_already_has_questions(world, client_for):
    paper_set = paper_set_of(world)
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    extra = approved(world, "Câu riêng")
    client.post(builder_url(world, quiz, "quiz_pick"), {"version": [extra.current_version_id], "points": "1"})
    response = client.post(builder_url(world, quiz, "quiz_paper_set"), {"paper_set": paper_set.pk}, follow=True)
    assert "chưa có câu hỏi nào" in response.content.decode() and quiz.slots.count() == 1


def test_each_attempt_gets_one_variant_spread_evenly_and_frozen(world, client_for):
    _client, quiz, _set = set_quiz(world, client_for)
    attempts = [engine.start_attempt(quiz=quiz, student=s) for s in students(world, 9)]
    got = [papers_of(a) for a in attempts]
    assert all(len(p) == 1 for p in got)  # every question of an attempt comes from one variant
    assert Counter(next(iter(p)) for p in got) == {"101": 3, "102": 3, "103": 3}
    for attempt, papers in zip(attempts, got, strict=True):
        code = next(iter(papers))
        assert attempt.max_score == sum(Decimal(p) for p in POINTS[code])  # only its own variant counts
        assert paper_code(attempt) == code
        # Continuing gives the same attempt, with the same variant and versions
        again = engine.start_attempt(quiz=quiz, student=attempt.student)
        assert again.pk == attempt.pk and again.variant == attempt.variant


def test_the_least_used_variant_is_chosen_ties_at_random(world, client_for):
    _client, quiz, _set = set_quiz(world, client_for)
    first, second = students(world, 2)
    a = engine.start_attempt(quiz=quiz, student=first)
    # With one variant used, the next attempt never gets it, whatever the random draw
    for seed in range(10):
        variant = engine.freeze_variant(quiz, random.Random(seed))
        slots = {s.pk: s.paper.code for s in quiz.slots.select_related("paper")}
        assert {slots[e["slot"]] for e in variant} != papers_of(a)
    assert papers_of(engine.start_attempt(quiz=quiz, student=second)) != papers_of(a)


def test_starting_costs_the_same_queries_with_1_or_many_attempts(world, client_for):
    _client, quiz, _set = set_quiz(world, client_for, shuffle_questions="on")
    learners = students(world, 8)
    with CaptureQueriesContext(connection) as early:
        engine.freeze_variant(quiz)
    for s in learners:
        engine.start_attempt(quiz=quiz, student=s)
    with CaptureQueriesContext(connection) as late:
        engine.freeze_variant(quiz)
    assert len(early) == len(late) == 2


def test_the_review_shows_the_paper_code(world, client_for):
    client, quiz, _set = set_quiz(world, client_for)
    attempt = engine.start_attempt(quiz=quiz, student=world.cast.student)
    engine.submit_attempt(attempt=attempt)
    page = client.get(reverse("courses:quiz_review", args=[world.course.uid, attempt.uid])).content.decode()
    assert f"Mã đề {paper_code(attempt)}" in page
    # The builder tells how many attempts got each code, and the set is locked
    builder = client.get(builder_url(world, quiz)).content.decode()
    assert "1 lượt làm" in builder and "Gỡ bộ đề" not in builder


def test_a_set_is_locked_once_a_student_started(world, client_for):
    client, quiz, paper_set = set_quiz(world, client_for)
    engine.start_attempt(quiz=quiz, student=world.cast.student)
    response = client.post(builder_url(world, quiz, "quiz_paper_set"), {"action": "remove"}, follow=True)
    assert "Học sinh đã bắt đầu làm bài kiểm tra này" in response.content.decode() and quiz.slots.count() == 6
    with pytest.raises(quiz_builder.BuilderError):
        quiz_builder.add_paper_set(actor=world.cast.teacher, quiz=quiz, paper_set=paper_set)


def test_a_teacher_cannot_add_a_set_they_may_not_open(world, client_for):
    cast = world.cast
    foreign = paper_set_of(world, blueprint_of(world, owner=cast.outsider, school=cast.other_school, title="Khác"))
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    assert "Khác" not in client.get(builder_url(world, quiz)).content.decode()
    response = client.post(builder_url(world, quiz, "quiz_paper_set"), {"paper_set": foreign.pk}, follow=True)
    assert "Chọn một bộ đề" in response.content.decode() and quiz.slots.count() == 0


@pytest.mark.parametrize("who", ["other_teacher", "outsider", "student"])
def test_nobody_but_the_course_managers_adds_or_removes_a_set(world, client_for, who):
    paper_set = paper_set_of(world)
    _client, quiz, _set = set_quiz(world, client_for)
    client = client_for(getattr(world, who, None) or getattr(world.cast, who))
    url = builder_url(world, quiz, "quiz_paper_set")
    assert client.post(url, {"paper_set": paper_set.pk}).status_code == 404
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert quiz.slots.count() == 6


# --- Questions per page ----------------------------------------------------------------------------


def test_questions_per_page_is_a_setting_shown_to_the_page_and_the_api(world, client_for):
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    assert quiz.questions_per_page == 0
    form = client.get(builder_url(world, quiz)).content.decode()
    assert "Mỗi trang một câu" in form and "Tất cả câu hỏi trên một trang" in form
    data = {
        "attempts_allowed": "2",
        "grading_method": "highest",
        "max_grade": "10",
        "review_after_submit": "score",
        "review_after_close": "answers",
        "questions_per_page": "1",
    }
    assert client.post(builder_url(world, quiz), data).status_code == 302
    quiz.refresh_from_db()
    assert quiz.questions_per_page == 1
    bad = client.post(builder_url(world, quiz), data | {"questions_per_page": "7"})
    quiz.refresh_from_db()
    assert bad.status_code == 200 and quiz.questions_per_page == 1
    # The student's attempt (API and page) carries it
    for n in range(3):
        client.post(
            builder_url(world, quiz, "quiz_pick"),
            {"version": [approved(world, f"Trang {n}").current_version_id], "points": "1"},
        )
    student = client_for(world.cast.student)
    start = student.post(reverse("courses:api_quiz_attempts", args=[quiz.item_id]), {}, content_type="application/json")
    assert start.status_code == 201 and start.json()["questions_per_page"] == 1
    attempt = quiz.attempts.get()
    page = student.get(reverse("courses:quiz_attempt", args=[world.course.uid, attempt.uid])).content.decode()
    assert 'id="quiz-nav"' in page and "Câu sau" in page and "Câu trước" in page
    assert '"per_page": 1' in page
    # Without JS every question is in the page, none hidden
    assert page.count('class="card quiz-q"') == 3 and 'quiz-q" hidden' not in page


def test_grades_and_item_analysis_work_per_variant(world, client_for):
    client, quiz, _set = set_quiz(world, client_for)
    learners = students(world, 3)
    for learner in learners:
        attempt = engine.start_attempt(quiz=quiz, student=learner)
        for entry in attempt.variant:  # every answer right: the authored first option ("đúng")
            engine.save_answer(attempt=attempt, slot_id=entry["slot"], response=entry["order"].index(0), seq=1)
        attempt = engine.submit_attempt(attempt=attempt)
        assert attempt.score == attempt.max_score  # out of its own variant's total
        assert engine.quiz_grade(quiz, learner) == Decimal("10.00")
    page = client.get(reverse("courses:results", args=[world.course.uid]), {"quiz": quiz.item_id}).content.decode()
    assert "Mã đề 101 ·" in page and "Mã đề 103 ·" in page
