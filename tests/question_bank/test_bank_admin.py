"""The bank in the Wagtail admin: listing, filters, editing by GIFT, preview, import, bulk actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from question_bank import services
from question_bank.models import Question, QuestionStatus, SharingScope
from tests.question_bank.conftest import level, mcq

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
LIST = "wagtailsnippets_question_bank_question:list"
ADD = "wagtailsnippets_question_bank_question:add"
EDIT = "wagtailsnippets_question_bank_question:edit"


@pytest.fixture
def questions(cast, toan6):
    subject, grade, _topic = toan6
    ours = services.create_question(
        actor=cast.teacher,
        data=mcq("Phương trình $x^2 = 4$ có nghiệm nào?", name="Nghiệm"),
        subject=subject,
        grade=grade,
        level=level("bon-muc", "nb"),
    )
    theirs = services.create_question(actor=cast.outsider, data=mcq("Câu hỏi của trường Bát Xát"))
    return ours, theirs


def test_the_listing_shows_only_what_the_user_may_see(cast, client, questions):
    ours, _theirs = questions
    client.force_login(cast.teacher)
    page = client.get(reverse(LIST)).content.decode()
    assert "Nghiệm" in page
    assert reverse("question_bank_admin:preview", args=[ours.pk]) in page
    assert "Bát Xát" not in page
    client.force_login(cast.outsider)
    page = client.get(reverse(LIST)).content.decode()
    assert "Nghiệm" not in page


def test_filters_by_text_without_diacritics_type_level_and_status(cast, client, questions):
    client.force_login(cast.teacher)
    services.create_question(actor=cast.teacher, data=mcq("Một câu khác hẳn", name="Khác"))
    assert "Nghiệm" in client.get(reverse(LIST), {"text": "phuong trinh"}).content.decode()
    assert "Nghiệm" not in client.get(reverse(LIST), {"text": "khac han"}).content.decode()
    assert "Nghiệm" in client.get(reverse(LIST), {"qtype": "single_choice"}).content.decode()
    assert "Nghiệm" not in client.get(reverse(LIST), {"qtype": "essay"}).content.decode()
    cv_biet = level("cv7991", "biet").pk
    assert "Nghiệm" in client.get(reverse(LIST), {"level": cv_biet}).content.decode()
    assert "Nghiệm" not in client.get(reverse(LIST), {"status": "approved"}).content.decode()


def test_students_outsiders_and_strangers_cannot_open_a_question(cast, client, questions):
    ours, _theirs = questions
    for user in (cast.outsider, cast.outsider_admin, cast.province_admin):
        client.force_login(user)
        assert client.get(reverse(EDIT, args=[ours.pk])).status_code == 404
        assert client.get(reverse("question_bank_admin:preview", args=[ours.pk])).status_code == 404
    for user in (cast.student, cast.nobody):
        client.force_login(user)
        assert client.get(reverse(EDIT, args=[ours.pk])).status_code in (302, 403, 404)
        assert client.get(reverse("question_bank_admin:preview", args=[ours.pk])).status_code in (302, 403, 404)
        assert client.get(reverse(LIST)).status_code in (302, 403)


def test_creating_and_editing_in_gift_makes_versions(cast, client, toan6):
    subject, grade, _topic = toan6
    client.force_login(cast.teacher)
    form = {
        "content": "::Cộng:: 2 + 2 bằng mấy? {=4 ~3 ~5 ~22}",
        "sharing_scope": SharingScope.SCHOOL,
        "status": QuestionStatus.DRAFT,
        "subject": subject.pk,
        "grade": grade.pk,
        "level": level("bon-muc", "nb").pk,
        "category": services.default_category(cast.school).pk,
        "tags": "số học",
    }
    response = client.post(reverse(ADD), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert (question.owner, question.school, question.current_version.number) == (cast.teacher, cast.school, 1)
    assert list(question.tags.names()) == ["số học"]

    edit = client.get(reverse(EDIT, args=[question.pk])).content.decode()
    assert "2 + 2 bằng mấy?" in edit
    response = client.post(reverse(EDIT, args=[question.pk]), {**form, "content": "::Cộng:: 3 + 3 bằng mấy? {=6 ~5}"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.versions.get(number=1).content.stem == "2 + 2 bằng mấy?"

    # A mistake in the GIFT text is shown with its line; nothing changes.
    response = client.post(reverse(EDIT, args=[question.pk]), {**form, "content": "::Hỏng:: thiếu dấu {=6 ~5"})
    assert response.status_code == 200
    assert "Dòng 1" in response.content.decode() or "Line 1" in response.content.decode()
    question.refresh_from_db()
    assert question.current_version.number == 2


def test_a_teacher_cannot_approve_through_the_form(cast, client, questions):
    ours, _theirs = questions
    client.force_login(cast.teacher)
    form = {
        "content": "::Nghiệm:: Phương trình $x^2 = 4$ có nghiệm nào? {=2 ~4 ~6 ~9}",
        "sharing_scope": SharingScope.SCHOOL,
        "status": QuestionStatus.APPROVED,
        "category": ours.category_id,
    }
    response = client.post(reverse(EDIT, args=[ours.pk]), form)
    assert response.status_code == 200
    ours.refresh_from_db()
    assert ours.status == QuestionStatus.DRAFT


def test_preview_shows_the_question_and_math_but_never_the_key(cast, client):
    data = mcq("Tính $\\frac{1}{2} + \\frac{1}{2}$").replace(
        general_feedback="Lời giải: cộng hai phân số", answers=(*mcq().answers[:1], *mcq().answers[1:])
    )
    data = data.replace(
        answers=tuple(a if i else a.__class__("1", 1, "Đúng rồi, bằng 1") for i, a in enumerate(data.answers))
    )
    question = services.create_question(actor=cast.teacher, data=data)
    client.force_login(cast.teacher)
    page = client.get(reverse("question_bank_admin:preview", args=[question.pk])).content.decode()
    assert "$\\frac{1}{2} + \\frac{1}{2}$" in page
    assert 'type="radio"' in page
    for secret in ("Lời giải", "Đúng rồi", "fraction"):
        assert secret not in page


def test_preview_cleans_html(cast, client):
    data = mcq('<p onclick="steal()">Hỏi <script>alert(1)</script><b>đậm</b></p>')
    question = services.create_question(actor=cast.teacher, data=data)
    client.force_login(cast.teacher)
    page = client.get(reverse("question_bank_admin:preview", args=[question.pk])).content.decode()
    assert "<b>đậm</b>" in page
    assert "steal()" not in page and "alert(1)" not in page


def test_admin_import_previews_then_saves_on_confirm(cast, client):
    client.force_login(cast.teacher)
    upload = SimpleUploadedFile("malformed.gift", (FIXTURES / "gift/malformed.gift").read_bytes())
    response = client.post(
        reverse("question_bank_admin:import"),
        {"file": upload, "format": "gift", "category": "Nhập/Lần 1", "sharing_scope": SharingScope.SCHOOL},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "rejected" in page or "bị từ chối" in page
    assert not Question.objects.exists()
    token = client.session["question_bank_import"]["token"]

    assert client.post(reverse("question_bank_admin:import"), {"confirm": "1", "token": "wrong"}).status_code == 302
    assert not Question.objects.exists()

    response = client.post(reverse("question_bank_admin:import"), {"confirm": "1", "token": token})
    assert response.status_code == 200
    assert Question.objects.exists()
    assert {q.category.names() for q in Question.objects.all()} <= {("Nhập", "Lần 1")} | {
        ("Nhập", "Lần 1", *q.category.names()[2:]) for q in Question.objects.all()
    }
    assert all(q.owner == cast.teacher for q in Question.objects.all())


def test_only_authors_reach_the_import(cast, client):
    for user in (cast.outsider_student, cast.reviewer, cast.province_admin):
        client.force_login(user)
        assert client.get(reverse("question_bank_admin:import")).status_code in (302, 403, 404)


def test_bulk_status_change_is_all_or_nothing_and_checked(cast, client, toan6):
    subject, grade, _topic = toan6
    made = [
        services.create_question(
            actor=cast.teacher, data=mcq(f"Câu {i}"), subject=subject, grade=grade, level=level("bon-muc", "th")
        )
        for i in range(3)
    ]
    for q in made:
        services.set_status(q, actor=cast.teacher, status=QuestionStatus.READY)
    url = reverse("wagtail_bulk_action", args=["question_bank", "question", "set_status"])
    query = "?" + "&".join(f"id={q.pk}" for q in made)

    client.force_login(cast.teacher)
    client.post(url + query, {"status": QuestionStatus.APPROVED})
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.READY}

    client.force_login(cast.group_head)
    response = client.post(url + query, {"status": QuestionStatus.APPROVED})
    assert response.status_code == 302
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.APPROVED}


def test_bulk_tags_and_move(cast, client, questions):
    ours, theirs = questions
    client.force_login(cast.teacher)
    url = reverse("wagtail_bulk_action", args=["question_bank", "question", "add_tags"])
    client.post(url + f"?id={ours.pk}&id={theirs.pk}", {"tags": "ôn tập, chương 1"})
    assert sorted(ours.tags.names()) == ["chương 1", "ôn tập"]
    assert list(theirs.tags.names()) == []

    target = services.category_for_path(cast.school, ["Toán 6", "Chương 1"])
    url = reverse("wagtail_bulk_action", args=["question_bank", "question", "move_category"])
    client.post(url + f"?id={ours.pk}", {"category": target.pk})
    ours.refresh_from_db()
    assert ours.category == target


def test_a_colleague_may_preview_a_shared_question_but_not_edit_it(cast, client, questions):
    ours, _theirs = questions
    services.set_status(ours, actor=cast.school_admin, status=QuestionStatus.APPROVED)
    client.force_login(cast.group_head)
    assert client.get(reverse("question_bank_admin:preview", args=[ours.pk])).status_code == 200
    # Refused: Wagtail turns the 403 into a redirect to the dashboard with a message.
    response = client.get(reverse(EDIT, args=[ours.pk]))
    assert response.status_code in (302, 403) and "Nghiệm" not in response.content.decode()
    response = client.post(reverse(EDIT, args=[ours.pk]), {"content": "::X:: đổi {=a ~b}"})
    assert response.status_code in (302, 403)
    ours.refresh_from_db()
    assert ours.current_version.number == 1


def test_history_and_usage_pages_are_closed_to_outsiders(cast, client, questions):
    ours, _theirs = questions
    client.force_login(cast.outsider)
    for name in ("history", "usage"):
        url = reverse(f"wagtailsnippets_question_bank_question:{name}", args=[ours.pk])
        response = client.get(url)
        assert response.status_code in (403, 404), name
        assert "Nghiệm" not in response.content.decode()
