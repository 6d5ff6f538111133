"""Who may see, use, edit and approve questions — and, above all, who may not."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lms.access import can
from question_bank import services
from question_bank.access import questions_visible_to
from question_bank.models import QuestionStatus, SharingScope
from tests.question_bank.conftest import level, mcq

pytestmark = pytest.mark.django_db


def _approved(cast, toan6, scope, stem):
    subject, grade, _topic = toan6
    question = services.create_question(
        actor=cast.teacher,
        data=mcq(stem),
        sharing_scope=scope,
        subject=subject,
        grade=grade,
        level=level("bon-muc", "nb"),
    )
    services.set_status(question, actor=cast.school_admin, status=QuestionStatus.APPROVED)
    return question


def _who(cast, action, question):
    return {name for name, user in cast.everyone().items() if can(user, action, question)}


def test_a_draft_is_seen_by_its_owner_and_school_admin_only(cast):
    draft = services.create_question(actor=cast.teacher, data=mcq(), sharing_scope=SharingScope.NATIONAL)
    assert _who(cast, "question.view", draft) == {"teacher", "school_admin"}
    assert _who(cast, "question.use", draft) == set()
    assert _who(cast, "question.edit", draft) == {"teacher", "school_admin"}


def test_a_ready_question_reaches_the_group_head_who_approves_it(cast, toan6):
    subject, grade, _topic = toan6
    ready = services.create_question(actor=cast.teacher, data=mcq(), subject=subject, grade=grade)
    services.set_status(ready, actor=cast.teacher, status=QuestionStatus.READY)
    assert _who(cast, "question.view", ready) == {"teacher", "school_admin", "group_head"}
    assert _who(cast, "question.approve", ready) == {"school_admin", "group_head"}
    assert "teacher" not in _who(cast, "question.approve", ready)


def test_school_shared_approved_questions_are_used_by_colleagues_not_outsiders_or_students(cast, toan6):
    question = _approved(cast, toan6, SharingScope.SCHOOL, "Trường")
    users = _who(cast, "question.use", question)
    assert users == {"teacher", "group_head", "school_admin"}
    # Students never reach the bank; other schools, other provinces and people without a role do not either.
    for name in ("student", "outsider", "outsider_student", "outsider_admin", "nobody", "province_admin"):
        assert name not in users
        assert not can(getattr(cast, name), "question.view", question)
    # Colleagues use it, only the owner and the school admin edit it.
    assert _who(cast, "question.edit", question) == {"teacher", "school_admin"}


def test_wider_scopes_reach_wider_audiences(cast, toan6):
    province = _approved(cast, toan6, SharingScope.PROVINCE, "Tỉnh")
    national = _approved(cast, toan6, SharingScope.NATIONAL, "Toàn quốc")
    private = _approved(cast, toan6, SharingScope.PRIVATE, "Riêng")
    assert _who(cast, "question.use", province) == {
        "teacher",
        "group_head",
        "school_admin",
        "reviewer",
        "province_admin",
    }
    assert _who(cast, "question.use", national) == set(cast.everyone()) - {"student", "outsider_student", "nobody"}
    assert _who(cast, "question.use", private) == {"teacher", "school_admin"}
    assert _who(cast, "question.edit", national) == {"teacher", "school_admin"}


def test_lists_and_single_checks_agree(cast, toan6):
    questions = [_approved(cast, toan6, scope, scope) for scope in SharingScope.values]
    for user in cast.everyone().values():
        listed = set(questions_visible_to(user).values_list("pk", flat=True))
        assert listed == {q.pk for q in questions if can(user, "question.view", q)}
    assert not questions_visible_to(cast.student).exists()
    assert not questions_visible_to(cast.nobody).exists()


def test_actions_refuse_those_who_may_not(cast, toan6):
    question = _approved(cast, toan6, SharingScope.NATIONAL, "Toàn quốc")
    for user in (cast.outsider, cast.student, cast.group_head, cast.province_admin):
        with pytest.raises(PermissionDenied):
            services.edit_question(question, actor=user, data=mcq("Đổi"))
        with pytest.raises(PermissionDenied):
            services.update_question(question, actor=user, sharing_scope=SharingScope.PRIVATE)
    with pytest.raises(PermissionDenied):
        services.set_status(question, actor=cast.outsider_admin, status=QuestionStatus.DRAFT)
    # Students and outsiders cannot author in the school.
    for user in (cast.student, cast.outsider, cast.nobody):
        with pytest.raises(PermissionDenied):
            services.create_question(actor=user, data=mcq(), school=cast.school)
    question.refresh_from_db()
    assert question.current_version.number == 1
    assert question.status == QuestionStatus.APPROVED
