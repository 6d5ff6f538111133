"""Questions in the database: immutable versions, NFC content, levels as data, audit."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from question_bank import services
from question_bank.models import LevelScheme, Question, QuestionStatus, QuestionVersion, SharingScope
from tests.question_bank.conftest import level, mcq

pytestmark = pytest.mark.django_db


def test_level_schemes_and_their_mapping_are_data(curriculum):
    assert list(LevelScheme.objects.values_list("slug", flat=True)) == ["bon-muc", "cv7991", "tt27"]
    four = LevelScheme.objects.get(slug="bon-muc")
    assert [lv.name for lv in four.levels.all()] == ["Nhận biết", "Thông hiểu", "Vận dụng", "Vận dụng cao"]
    cv7991 = LevelScheme.objects.get(slug="cv7991")
    tt27 = LevelScheme.objects.get(slug="tt27")
    assert level("bon-muc", "vdc").map_to(cv7991).name == "Vận dụng"
    assert level("bon-muc", "nb").map_to(tt27).name == "Mức 1"
    assert level("cv7991", "hieu").map_to(four).name == "Thông hiểu"
    assert level("tt27", "muc-3").map_to(four).name == "Vận dụng"
    assert level("bon-muc", "th").map_to(four) == level("bon-muc", "th")


def test_editing_makes_a_new_version_and_never_changes_the_old_one(cast):
    question = services.create_question(actor=cast.teacher, data=mcq(tags=("số học",)))
    first = question.current_version
    assert first.number == 1
    assert question.school == cast.school
    assert list(question.tags.names()) == ["số học"]

    second = services.edit_question(question, actor=cast.teacher, data=mcq("Số nào là hợp số?"))
    question.refresh_from_db()
    assert second.number == 2
    assert question.current_version == second
    first.refresh_from_db()
    assert first.content.stem == "Số nào là số nguyên tố?"
    assert second.content.stem == "Số nào là hợp số?"
    with pytest.raises(ValueError, match="immutable"):
        first.save()

    # The same content again is no new version.
    assert services.edit_question(question, actor=cast.teacher, data=mcq("Số nào là hợp số?")) == second
    assert question.versions.count() == 2


def test_content_is_stored_nfc(cast):
    decomposed = unicodedata.normalize("NFD", "Tính diện tích hình chữ nhật")
    question = services.create_question(actor=cast.teacher, data=mcq(decomposed))
    stored = QuestionVersion.objects.get(pk=question.current_version_id)
    assert stored.data["stem"] == unicodedata.normalize("NFC", decomposed)
    assert stored.plain_text.startswith("Tính diện tích")
    assert stored.search_text.startswith("tinh dien tich")


def test_an_invalid_question_leaves_nothing(cast):
    broken = mcq().replace(answers=())
    with pytest.raises(ValidationError):
        services.create_question(actor=cast.teacher, data=broken)
    assert not Question.objects.exists()
    assert not QuestionVersion.objects.exists()


def test_status_changes_are_checked_and_audited(cast, toan6):
    subject, grade, _topic = toan6
    question = services.create_question(actor=cast.teacher, data=mcq(), subject=subject, grade=grade)
    services.set_status(question, actor=cast.teacher, status=QuestionStatus.READY)
    with pytest.raises(PermissionDenied):
        services.set_status(question, actor=cast.teacher, status=QuestionStatus.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.set_status(question, actor=cast.group_head, status=QuestionStatus.APPROVED)
    assert refused.value.code == "incomplete"
    assert str(_("cognitive level")) in refused.value.messages[0]
    services.update_question(question, actor=cast.teacher, level=level("bon-muc", "th"))
    services.set_status(question, actor=cast.group_head, status=QuestionStatus.APPROVED)
    question.refresh_from_db()
    assert question.status == QuestionStatus.APPROVED

    # Editing an approved question sends it back to draft, to be approved again.
    services.edit_question(question, actor=cast.teacher, data=mcq("Số 7 là số gì?"))
    question.refresh_from_db()
    assert question.status == QuestionStatus.DRAFT
    actions = list(ModelLogEntry.objects.for_instance(question).order_by("timestamp").values_list("action", flat=True))
    assert actions == [
        "question_bank.question.create",
        "question_bank.question.status",
        "question_bank.question.update",
        "question_bank.question.status",
        "question_bank.question.edit",
    ]


def test_curriculum_links_must_agree(cast, toan6):
    subject, grade, topic = toan6
    question = services.create_question(actor=cast.teacher, data=mcq(), topic=topic)
    assert (question.subject, question.grade) == (subject, grade)
    other_topic = type(topic).objects.exclude(grade=grade).filter(subject=subject).first()
    with pytest.raises(ValidationError):
        services.update_question(question, actor=cast.teacher, topic=other_topic, grade=grade)


def test_sharing_scope_sets_the_audience(cast):
    question = services.create_question(actor=cast.teacher, data=mcq(), sharing_scope=SharingScope.SCHOOL)
    assert question.audience_path == cast.school.path
    for scope, expected in (
        (SharingScope.COMMUNE, cast.ward.path),
        (SharingScope.PROVINCE, cast.province.path),
        (SharingScope.NATIONAL, ""),
        (SharingScope.PRIVATE, None),
    ):
        services.update_question(question, actor=cast.teacher, sharing_scope=scope)
        assert question.audience_path == expected


def test_categories_form_a_tree_per_school(cast):
    category = services.category_for_path(cast.school, ["Toán 6", "Số học"])
    again = services.category_for_path(cast.school, ["Toán 6", "Số học"])
    assert category == again
    assert category.names() == ("Toán 6", "Số học")
    other = services.category_for_path(cast.other_school, ["Toán 6"])
    assert other.school == cast.other_school and other != category.get_parent()
    question = services.create_question(actor=cast.teacher, data=mcq(), category=category)
    with pytest.raises(ValidationError):
        services.update_question(question, actor=cast.teacher, category=other)
