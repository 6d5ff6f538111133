"""The student's quiz pages: start, the attempt page (no keys), the review as the options allow, who may not see."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from courses import attempts as engine
from courses.models import Attempt, AttemptState, Item
from courses.models.quiz import Review
from lms.accounts.models import User
from tests.courses.test_quiz_fixtures import SECRET, build_quiz, shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def qw(world):
    return build_quiz(world, time_limit_minutes=15)


def urls(qw, attempt=None):
    course, item = qw.world.course, qw.quiz.item
    out = {
        "item": reverse("courses:item", args=[course.uid, item.pk]),
        "start": reverse("courses:quiz_start", args=[course.uid, item.pk]),
    }
    if attempt:
        out["attempt"] = reverse("courses:quiz_attempt", args=[course.uid, attempt.uid])
        out["review"] = reverse("courses:quiz_review", args=[course.uid, attempt.uid])
    return out


def test_a_student_starts_and_sees_every_question_without_keys(qw, client_for):
    c = qw.world.cast
    client = client_for(c.student)
    page = client.get(urls(qw)["item"]).content.decode()
    assert "Bắt đầu làm bài" in page and urls(qw)["start"] in page
    response = client.post(urls(qw)["start"])
    attempt = Attempt.objects.get(student=c.student)
    assert response.status_code == 302 and response["Location"] == urls(qw, attempt)["attempt"]
    html = client.get(response["Location"]).content.decode()
    assert SECRET not in html and '"fraction"' not in html
    assert "$2 + 3 = ?$" in html  # math as typed, for KaTeX
    assert "Hàm số nghịch biến trên ℝ." in html and 'data-input="truefalse_group"' in html
    assert html.count('class="card quiz-q"') == 4
    assert "Mất kết nối – câu trả lời được giữ trên máy và sẽ gửi lại" in html
    config = json.loads(html.split('id="quiz-config" type="application/json">')[1].split("</script>")[0])
    assert config["deadline"] and config["server_time"] and len(config["questions"]) == 4
    assert config["strings"]["saved_at"] == "Đã lưu lúc %(time)s"
    # the item page now offers to continue the same attempt; starting again gives the same one
    assert "Làm tiếp bài đang làm" in client.get(urls(qw)["item"]).content.decode()
    client.post(urls(qw)["start"])
    assert Attempt.objects.filter(student=c.student).count() == 1


def test_a_wrong_password_is_refused_in_vietnamese_and_starts_nothing(world, client_for):
    qw = build_quiz(world, password="toan6a")
    client = client_for(world.cast.student)
    assert 'type="password"' in client.get(urls(qw)["item"]).content.decode()
    page = client.post(urls(qw)["start"], {"password": "sai"}, follow=True).content.decode()
    assert "mật khẩu" in page.lower() and not Attempt.objects.exists()
    client.post(urls(qw)["start"], {"password": "toan6a"})
    assert Attempt.objects.filter(student=world.cast.student).count() == 1


def test_after_submit_the_page_shows_the_review_the_teacher_allowed(world, client_for):
    qw = build_quiz(world, review_after_submit=Review.RESPONSES, review_after_close=Review.ANSWERS)
    c = world.cast
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    single = qw.slot_of("single_choice")
    engine.save_answer(attempt=attempt, slot_id=single.pk, response=shown(attempt, single, 0), seq=1)
    engine.submit_attempt(attempt=attempt)
    client = client_for(c.student)
    response = client.get(urls(qw, attempt)["attempt"])
    assert response.status_code == 302 and response["Location"] == urls(qw, attempt)["review"]
    html = client.get(urls(qw, attempt)["review"]).content.decode()
    assert "1.00 / 6.00" in html and "Đúng" in html and "Sai" in html
    assert SECRET not in html and "Đáp án đúng" not in html  # key and feedback only after close


def test_score_only_and_nothing_levels(world, client_for):
    c = world.cast
    qw = build_quiz(world, review_after_submit=Review.SCORE)
    attempt = engine.submit_attempt(attempt=engine.start_attempt(quiz=qw.quiz, student=c.student))
    html = client_for(c.student).get(urls(qw, attempt)["review"]).content.decode()
    assert "0.00 / 6.00" in html and "Câu 1" not in html
    qw.quiz.review_after_submit = Review.NOTHING
    qw.quiz.save()
    html = client_for(c.student).get(urls(qw, attempt)["review"]).content.decode()
    assert "0.00 / 6.00" not in html and "chưa mở phần xem lại" in html


def test_the_teacher_sees_the_full_review_with_keys(qw, client_for):
    c = qw.world.cast
    attempt = engine.submit_attempt(attempt=engine.start_attempt(quiz=qw.quiz, student=c.student))
    html = client_for(c.teacher).get(urls(qw, attempt)["review"]).content.decode()
    assert "Đáp án đúng" in html and SECRET in html


def test_nobody_else_sees_an_attempt(qw, client_for):
    c = qw.world.cast
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    u = urls(qw, attempt)
    for user in (qw.world.other_student, qw.world.other_teacher, c.outsider, c.outsider_student):
        client = client_for(user)
        assert client.get(u["attempt"]).status_code == 404, user
        assert client.get(u["review"]).status_code == 404, user
        assert client.post(u["start"]).status_code == 404, user
    # the course's teacher reads the review but cannot work in the student's attempt or start one
    teacher = client_for(c.teacher)
    assert teacher.get(u["attempt"]).status_code == 404
    assert teacher.post(u["start"]).status_code == 404
    assert Attempt.objects.count() == 1 and Attempt.objects.get().state == AttemptState.IN_PROGRESS
    teacher.logout()
    assert teacher.get(u["attempt"]).status_code == 302  # anonymous: to the sign-in page


def test_the_demo_has_a_quiz_a_student_can_take(curriculum, client):
    from lms.core.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    item = Item.objects.get(title="Kiểm tra 15 phút: Phân số")
    assert item.quiz.slots.count() == 3 and item.grade_columns.filter(term=1, position=2).exists()
    student = User.objects.get(username="anhduong.hs.6a02")
    client.force_login(student)
    response = client.post(reverse("courses:quiz_start", args=[item.course.uid, item.pk]), follow=True)
    html = response.content.decode()
    assert 'data-input="truefalse_group"' in html and "\\dfrac{12}{18}" in html


def test_an_attempt_past_its_deadline_opens_as_its_review(qw, client_for):
    from datetime import timedelta

    from django.utils import timezone

    c = qw.world.cast
    attempt = engine.start_attempt(quiz=qw.quiz, student=c.student)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - engine.grace() - timedelta(seconds=1))
    client = client_for(c.student)
    response = client.get(urls(qw, attempt)["attempt"])
    assert response.status_code == 302 and response["Location"] == urls(qw, attempt)["review"]
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.CLOSED
    assert "0.00 / 6.00" in client.get(response["Location"]).content.decode()
