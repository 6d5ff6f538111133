"""Question sets from the bank inside a material: shown without answers, only usable questions accepted."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from lms.curriculum.models import Grade, Subject
from question_bank.ir import Choice, QuestionData
from question_bank.models import CognitiveLevel, QuestionStatus
from question_bank.services import create_question
from repository.models import LessonPage, MaterialPage, SchoolLibraryPage, SharingScope
from repository.services import school_area
from tests.repository.test_admin_authoring import _errors, form

pytestmark = pytest.mark.django_db


def question(owner, school, stem, *, status=QuestionStatus.APPROVED):
    data = QuestionData(
        qtype="single_choice",
        stem=stem,
        answers=(Choice("\\(\\frac{5}{6}\\)", 1, feedback="Đúng: quy đồng mẫu số."), Choice("\\(\\frac{2}{5}\\)", 0)),
    )
    # actor=None: the fixture is set up by the system, not by a user who must hold the approval right.
    return create_question(
        actor=None,
        owner=owner,
        data=data,
        school=school,
        status=status,
        sharing_scope=SharingScope.SCHOOL,
        subject=Subject.objects.get(slug="toan"),
        grade=Grade.objects.get(number=6),
        level=CognitiveLevel.objects.order_by("pk").first(),
    )


def body_with(questions):
    listed = {str(i): {"value": q.pk, "deleted": "", "order": str(i)} for i, q in enumerate(questions)}
    listed["count"] = str(len(questions))
    return nested_form_data({"body": streamfield([("question_set", {"title": "Luyện tập", "questions": listed})])})


def add_lesson_url(area):
    return reverse("wagtailadmin_pages:add", args=("repository", "lessonpage", area.pk))


def test_the_material_shows_its_questions_to_learners_without_the_answers(library, client):
    c = library
    q = question(c.teacher, c.school, "Tính \\(\\frac{1}{2} + \\frac{1}{3}\\)")
    page = LessonPage(
        title="Luyện tập phân số",
        owner=c.teacher,
        subject=Subject.objects.get(slug="toan"),
        sharing_scope=SharingScope.NATIONAL,
        body=[("question_set", {"title": "Luyện tập", "questions": [q]})],
    )
    school_area(c.school).add_child(instance=page)
    page.save_revision(user=c.teacher).publish()
    client.force_login(c.outsider_student)
    html = client.get(page.url).content.decode()
    assert "Luyện tập" in html and "\\frac{1}{2} + \\frac{1}{3}" in html
    assert "\\frac{5}{6}" in html  # the options are shown...
    assert "quy đồng mẫu số" not in html  # ...never the feedback
    assert 'type="radio"' in html


def test_a_teacher_embeds_approved_questions_of_their_school(library, client):
    c = library
    q = question(c.group_head, c.school, "Câu hỏi của tổ")
    area = SchoolLibraryPage.objects.get(school=c.school)
    client.force_login(c.teacher)
    response = client.post(add_lesson_url(area), {**form("Bài có câu hỏi"), **body_with([q])})
    assert response.status_code == 302, _errors(response.content.decode())


def test_another_schools_question_or_a_colleagues_draft_is_refused_and_nothing_saved(library, client):
    c = library
    theirs = question(c.outsider, c.other_school, "Câu hỏi trường khác")
    draft = question(c.group_head, c.school, "Câu hỏi nháp của tổ", status=QuestionStatus.DRAFT)
    area = SchoolLibraryPage.objects.get(school=c.school)
    client.force_login(c.teacher)
    for q, title in ((theirs, "Bài lấy câu hỏi lạ"), (draft, "Bài lấy câu hỏi nháp")):
        response = client.post(add_lesson_url(area), {**form(title), **body_with([q])})
        assert response.status_code == 200
        assert "Bạn không được dùng câu hỏi" in response.content.decode()
        assert not MaterialPage.objects.filter(title=title).exists()
