"""The teacher's quiz builder: create a quiz, settings, pick/draw/variant questions, points, order, removal,
questions frozen once students started, and who gets 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from courses import attempts as engine
from courses.models import Item, ItemKind, Quiz, Section
from lms.curriculum.models import Grade, Subject
from question_bank import services as bank
from question_bank.ir import Choice, QuestionData
from question_bank.models import (
    Blueprint,
    CognitiveLevel,
    GeneratedPaper,
    GeneratedPaperSet,
    LevelScheme,
    QuestionStatus,
)
from tests.courses.test_quiz_fixtures import build_quiz

pytestmark = pytest.mark.django_db


def approved(world, stem, *, tags=(), owner=None, school=None):
    cast = world.cast
    question = bank.create_question(
        actor=owner or cast.teacher,
        data=QuestionData(
            qtype="single_choice",
            name=stem,
            stem=f"<p>{stem}</p>",
            answers=(Choice("đúng", Decimal(1)), Choice("sai", Decimal(0))),
            tags=tuple(tags),
        ),
        school=school or cast.school,
        subject=Subject.objects.get(slug="toan"),
        grade=Grade.objects.get(number=6),
        level=CognitiveLevel.objects.get(scheme__slug="bon-muc", code="nb"),
    )
    admin = cast.school_admin if (school or cast.school) == cast.school else cast.outsider_admin
    bank.set_status(question, actor=admin, status=QuestionStatus.APPROVED)
    question.refresh_from_db()
    return question


def new_quiz(world, client_for, **extra):
    client = client_for(world.cast.teacher)
    section = Section.objects.filter(course=world.course).first()
    data = {
        "title": "Kiểm tra chương VI",
        "instructions": "",
        "attempts_allowed": "2",
        "grading_method": "highest",
        "max_grade": "10",
        "shuffle_options": "on",
        "review_after_submit": "score",
        "review_after_close": "answers",
    } | extra
    response = client.post(reverse("courses:quiz_new", args=[world.course.uid, section.pk]), data)
    return client, response


def builder_url(world, quiz, name="quiz_builder", *more):
    return reverse(f"courses:{name}", args=[world.course.uid, quiz.item_id, *more])


def test_a_teacher_creates_a_quiz_in_a_section_and_sets_it_up(world, client_for):
    client, response = new_quiz(world, client_for, time_limit_minutes="15", password="bí mật")
    quiz = Quiz.objects.get(item__title="Kiểm tra chương VI")
    assert response.status_code == 302 and response["Location"] == builder_url(world, quiz)
    assert quiz.item.kind == ItemKind.QUIZ and quiz.time_limit_minutes == 15 and quiz.password == "bí mật"
    page = client.get(builder_url(world, quiz))
    assert page.status_code == 200 and "Kiểm tra chương VI" in page.content.decode()
    # The manage page links to the builder and offers a new quiz per section
    manage = client.get(reverse("courses:manage", args=[world.course.uid])).content.decode()
    assert builder_url(world, quiz) in manage and "/quizzes/new/" in manage
    settings = {
        "opens_at": "2026-12-01T07:00",
        "closes_at": "2026-12-01T08:00",
        "time_limit_minutes": "45",
        "attempts_allowed": "0",
        "grading_method": "average",
        "max_grade": "10",
        "shuffle_questions": "on",
        "review_after_submit": "nothing",
        "review_after_close": "responses",
        "password": "",
    }
    assert client.post(builder_url(world, quiz), settings).status_code == 302
    quiz.refresh_from_db()
    assert (quiz.time_limit_minutes, quiz.attempts_allowed, quiz.grading_method) == (45, 0, "average")
    assert quiz.shuffle_questions and not quiz.shuffle_options and quiz.review_after_submit == "nothing"


def test_settings_with_the_close_before_the_open_are_refused_in_vietnamese(world, client_for):
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    response = client.post(
        builder_url(world, quiz),
        {
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-12-01T07:00",
            "attempts_allowed": "1",
            "grading_method": "highest",
            "max_grade": "10",
            "review_after_submit": "score",
            "review_after_close": "answers",
        },
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    quiz.refresh_from_db()
    assert quiz.opens_at is None
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in response.content.decode()


def test_picking_only_offers_approved_questions_the_teacher_may_use(world, client_for):
    cast = world.cast
    mine = approved(world, "Phân số nào bằng 2/3?")
    draft = bank.create_question(
        actor=cast.teacher, data=QuestionData(qtype="essay", name="Nháp", stem="<p>Câu nháp</p>"), school=cast.school
    )
    elsewhere = approved(world, "Câu của trường khác", owner=cast.outsider, school=cast.other_school)
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    page = client.get(builder_url(world, quiz, "quiz_pick"), {"q": "phan so"}).content.decode()
    assert "Phân số nào bằng 2/3?" in page and "Câu nháp" not in page and "Câu của trường khác" not in page
    response = client.post(
        builder_url(world, quiz, "quiz_pick"), {"version": [mine.current_version_id], "points": "0,5"}
    )
    assert response.status_code == 302
    slot = quiz.slots.get()
    assert slot.version_id == mine.current_version_id and slot.points == Decimal("0.5")
    for other in (draft, elsewhere):
        response = client.post(
            builder_url(world, quiz, "quiz_pick"), {"version": [other.current_version_id], "points": "1"}
        )
        assert response.status_code == 200 and quiz.slots.count() == 1


def test_random_draw_from_a_category_with_tags_needs_enough_questions(world, client_for):
    a = approved(world, "Câu A", tags=("phan-so",))
    approved(world, "Câu B", tags=("phan-so",))
    approved(world, "Câu C")
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    category = a.category
    url = builder_url(world, quiz, "quiz_draw")
    too_many = client.post(url, {"category": category.pk, "tags": "phan-so", "count": "3", "points": "1"}, follow=True)
    assert quiz.slots.count() == 0 and "2" in too_many.content.decode()
    assert (
        client.post(url, {"category": category.pk, "tags": "phan-so", "count": "2", "points": "2"}).status_code == 302
    )
    assert [(s.draw_category_id, s.draw_tags, s.points) for s in quiz.slots.all()] == [
        (category.pk, "phan-so", Decimal(2))
    ] * 2
    # An attempt draws two different tagged questions
    attempt = engine.start_attempt(quiz=quiz, student=world.cast.student)
    drawn = {e["version"] for e in attempt.variant}
    assert len(drawn) == 2 and a.current_version_id in drawn


def test_a_blueprint_variant_is_copied_with_its_points(world, client_for):
    cast = world.cast
    q1, q2 = approved(world, "Câu 1"), approved(world, "Câu 2")
    blueprint = Blueprint.objects.create(
        owner=cast.teacher,
        school=cast.school,
        subject=Subject.objects.get(slug="toan"),
        grade=Grade.objects.get(number=6),
        title="Ma trận giữa kì",
        scheme=LevelScheme.objects.get(slug="bon-muc"),
    )
    paper_set = GeneratedPaperSet.objects.create(blueprint=blueprint, created_by=cast.teacher, seed="s", matrix={})
    items = [
        {"id": q2.current_version_id, "part": "I", "number": 1, "points": "0.25", "order": [], "key": []},
        {"id": q1.current_version_id, "part": "I", "number": 2, "points": "0.75", "order": [], "key": []},
    ]
    paper = GeneratedPaper.objects.create(
        paper_set=paper_set, code="101", data={"code": "101", "items": items}, version_ids=[i["id"] for i in items]
    )
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    assert "101" in client.get(builder_url(world, quiz)).content.decode()
    assert client.post(builder_url(world, quiz, "quiz_paper"), {"paper": paper.pk}).status_code == 302
    assert [(s.version_id, s.points) for s in quiz.slots.all()] == [
        (q2.current_version_id, Decimal("0.25")),
        (q1.current_version_id, Decimal("0.75")),
    ]
    # A variant of another school's blueprint is refused
    foreign = Blueprint.objects.create(
        owner=cast.outsider,
        school=cast.other_school,
        subject=blueprint.subject,
        grade=blueprint.grade,
        title="Đề trường khác",
        scheme=blueprint.scheme,
    )
    foreign_set = GeneratedPaperSet.objects.create(blueprint=foreign, created_by=cast.outsider, seed="t", matrix={})
    foreign_paper = GeneratedPaper.objects.create(
        paper_set=foreign_set, code="201", data={"code": "201", "items": items}, version_ids=[]
    )
    response = client.post(builder_url(world, quiz, "quiz_paper"), {"paper": foreign_paper.pk}, follow=True)
    assert quiz.slots.count() == 2 and "Chọn một mã đề" in response.content.decode()


def test_points_order_and_removal(world, client_for):
    questions = [approved(world, f"Câu {n}") for n in (1, 2, 3)]
    client, _ = new_quiz(world, client_for)
    quiz = Quiz.objects.get()
    client.post(
        builder_url(world, quiz, "quiz_pick"), {"version": [q.current_version_id for q in questions], "points": "1"}
    )
    first, second, third = quiz.slots.all()
    client.post(builder_url(world, quiz, "quiz_slot", third.pk), {"action": "up"})
    assert list(quiz.slots.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    client.post(builder_url(world, quiz, "quiz_slot", first.pk), {"action": "points", "points": "2,5"})
    first.refresh_from_db()
    assert first.points == Decimal("2.5")
    bad = client.post(
        builder_url(world, quiz, "quiz_slot", first.pk), {"action": "points", "points": "-1"}, follow=True
    )
    first.refresh_from_db()
    assert first.points == Decimal("2.5") and "100" in bad.content.decode()
    client.post(builder_url(world, quiz, "quiz_slot", second.pk), {"action": "remove"})
    assert list(quiz.slots.values_list("pk", flat=True)) == [first.pk, third.pk]


def test_questions_are_frozen_once_a_student_started(world, client_for):
    qw = build_quiz(world)
    engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    client = client_for(world.cast.teacher)
    slot = qw.slots[0]
    extra = approved(world, "Câu thêm")
    before = [(s.pk, s.order, s.points) for s in qw.quiz.slots.all()]
    responses = [
        client.post(builder_url(world, qw.quiz, "quiz_slot", slot.pk), {"action": "remove"}, follow=True),
        client.post(builder_url(world, qw.quiz, "quiz_slot", slot.pk), {"action": "down"}, follow=True),
        client.post(
            builder_url(world, qw.quiz, "quiz_slot", slot.pk), {"action": "points", "points": "3"}, follow=True
        ),
        client.post(
            builder_url(world, qw.quiz, "quiz_pick"),
            {"version": [extra.current_version_id], "points": "1"},
            follow=True,
        ),
    ]
    assert [(s.pk, s.order, s.points) for s in qw.quiz.slots.all()] == before
    for response in responses:
        assert "Học sinh đã bắt đầu làm bài kiểm tra này" in response.content.decode()
    assert "Chấm lại" in client.get(builder_url(world, qw.quiz)).content.decode()


@pytest.mark.parametrize("who", ["other_teacher", "outsider", "student", "outsider_admin"])
def test_nobody_but_the_course_managers_reaches_the_builder(world, client_for, who):
    qw = build_quiz(world)
    user = getattr(world, who, None) or getattr(world.cast, who)
    client = client_for(user)
    section = Section.objects.filter(course=world.course).first()
    slot = qw.slots[0]
    gets = [
        reverse("courses:quiz_new", args=[world.course.uid, section.pk]),
        builder_url(world, qw.quiz),
        builder_url(world, qw.quiz, "quiz_pick"),
        builder_url(world, qw.quiz, "quiz_regrade", slot.pk),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (builder_url(world, qw.quiz, "quiz_slot", slot.pk), {"action": "remove"}),
        (builder_url(world, qw.quiz, "quiz_draw"), {"category": "1", "count": "1", "points": "1"}),
        (builder_url(world, qw.quiz, "quiz_paper"), {"paper": "1"}),
        (builder_url(world, qw.quiz), {"attempts_allowed": "9"}),
        (reverse("courses:quiz_new", args=[world.course.uid, section.pk]), {"title": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert qw.quiz.slots.count() == 4 and Item.objects.filter(kind=ItemKind.QUIZ).count() == 1
    qw.quiz.refresh_from_db()
    assert qw.quiz.attempts_allowed == 2
