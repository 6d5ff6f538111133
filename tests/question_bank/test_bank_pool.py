"""The pool the blueprint engine draws from: approved current versions by curriculum, level and format."""

from __future__ import annotations

import pytest

from question_bank import services
from question_bank.ir import QuestionData
from question_bank.models import QuestionStatus, SharingScope
from tests.question_bank.conftest import level, mcq

pytestmark = pytest.mark.django_db


def _essay(stem):
    return QuestionData(qtype="essay", stem=stem)


def test_only_approved_current_versions_are_drawn_and_filters_apply(cast, toan6):
    subject, grade, topic = toan6

    def make(data, lvl, status=QuestionStatus.APPROVED, **extra):
        question = services.create_question(
            actor=cast.teacher, data=data, subject=subject, grade=grade, topic=topic, level=lvl, **extra
        )
        if status != QuestionStatus.DRAFT:
            services.set_status(question, actor=cast.school_admin, status=status)
        return question

    nb = make(mcq("NB"), level("bon-muc", "nb"))
    vdc = make(mcq("VDC"), level("bon-muc", "vdc"))
    essay = make(_essay("Tự luận"), level("cv7991", "van-dung"))
    make(mcq("nháp"), level("bon-muc", "nb"), status=QuestionStatus.DRAFT)
    make(mcq("chờ duyệt"), level("bon-muc", "nb"), status=QuestionStatus.READY)

    pool = services.approved_versions(subject=subject, grade=grade)
    assert {v.pk for v in pool} == {nb.current_version_id, vdc.current_version_id, essay.current_version_id}
    assert {v.pk for v in services.approved_versions(topic=topic, item_format="mc")} == {
        nb.current_version_id,
        vdc.current_version_id,
    }
    assert [v.pk for v in services.approved_versions(item_format="essay")] == [essay.current_version_id]
    assert [v.pk for v in services.approved_versions(qtype="essay")] == [essay.current_version_id]
    # Levels count across schemes: "Vận dụng" of CV 7991 takes VD and VDC of the four levels.
    assert {v.pk for v in services.approved_versions(level=level("cv7991", "van-dung"))} == {
        vdc.current_version_id,
        essay.current_version_id,
    }
    assert [v.pk for v in services.approved_versions(level=level("bon-muc", "vdc"))] == [vdc.current_version_id]
    assert [v.pk for v in services.approved_versions(level=level("tt27", "muc-1"))] == [nb.current_version_id]

    # A new version of an approved question leaves the pool until approved again; its old version is not drawn.
    old = nb.current_version_id
    services.edit_question(nb, actor=cast.teacher, data=mcq("NB mới"))
    assert old not in {v.pk for v in services.approved_versions()}


def test_the_pool_for_a_user_holds_only_what_they_may_use(cast, toan6):
    subject, grade, _topic = toan6
    question = services.create_question(
        actor=cast.teacher,
        data=mcq(),
        subject=subject,
        grade=grade,
        level=level("bon-muc", "th"),
        sharing_scope=SharingScope.SCHOOL,
    )
    services.set_status(question, actor=cast.group_head, status=QuestionStatus.APPROVED)
    assert services.approved_versions(user=cast.group_head).count() == 1
    assert services.approved_versions(user=cast.outsider).count() == 0
    assert services.approved_versions(user=cast.student).count() == 0


def test_true_false_group_is_the_tf_format(cast, toan6):
    subject, grade, _topic = toan6
    statements = tuple(
        {"text": t, "correct": c, "feedback": ""} for t, c in (("a", True), ("b", False), ("c", True), ("d", False))
    )
    data = QuestionData(qtype="true_false_group", stem="Xét các mệnh đề", options={"statements": statements})
    question = services.create_question(
        actor=cast.teacher, data=data, subject=subject, grade=grade, level=level("cv7991", "hieu")
    )
    services.set_status(question, actor=cast.school_admin, status=QuestionStatus.APPROVED)
    assert [v.pk for v in services.approved_versions(item_format="tf")] == [question.current_version_id]
    assert services.approved_versions(item_format="tf").first().content.options["statements"][0]["text"] == "a"
