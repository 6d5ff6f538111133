"""The appraisal workflow: levels as data, reviewers by membership, audit trail, re-appraisal."""

import pytest
from django.core.exceptions import PermissionDenied

from lms import access
from repository.models import Appraisal, MaterialPage, SharingScope
from repository.models.appraisal import CRITERIA, AppraisalTask, Verdict
from repository.services import materials_visible_to
from tests.repository.conftest import make_material, submit

pytestmark = pytest.mark.django_db

ALL_MET = {name: "met" for name, _label in CRITERIA}


def act(page, user, action, comment="", **criteria):
    page = MaterialPage.objects.get(pk=page.pk)
    task = page.current_workflow_task.specific
    state = page.current_workflow_task_state
    task.on_action(state, fresh(user), action, comment=comment, **{**ALL_MET, **criteria})
    return MaterialPage.objects.get(pk=page.pk)


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def actions_for(page, user):
    page = MaterialPage.objects.get(pk=page.pk)
    return [name for name, _label, _form in page.current_workflow_task.specific.get_actions(page, fresh(user))]


def test_scope_picks_the_workflow_and_its_levels(library):
    page = make_material(library.teacher, library.school, scope=SharingScope.PROVINCE)
    names = [t.name for t in page.get_workflow().tasks]
    assert names == ["Tổ chuyên môn (cấp trường)", "Hội đồng bộ môn cấp tỉnh/thành phố"]
    page.sharing_scope = SharingScope.NATIONAL
    assert len(page.get_workflow().tasks) == 3
    page.sharing_scope = SharingScope.SCHOOL
    assert len(page.get_workflow().tasks) == 1


def test_two_levels_approve_then_it_is_live_for_the_province_only(library):
    c = library
    page = make_material(c.teacher, c.school)
    submit(page, c.teacher)
    # Level 1: the school's group head for Toán; never the author, an outsider or another level's reviewer.
    assert actions_for(page, c.group_head) == ["approve", "reject", "refuse"]
    for user in (c.teacher, c.reviewer, c.outsider, c.student, c.province_admin):
        assert actions_for(page, user) == [], user.username
    page = act(page, c.group_head, "approve")
    assert not page.live
    # Level 2: the province's reviewer of Toán.
    assert actions_for(page, c.reviewer) == ["approve", "reject", "refuse"]
    assert actions_for(page, c.group_head) == []
    page = act(page, c.reviewer, "approve")
    assert page.live
    assert page.audience_path == c.province.path
    assert [a.verdict for a in Appraisal.objects.filter(material=page)] == [Verdict.APPROVED, Verdict.APPROVED]
    # Who sees it now.
    visible = lambda user: materials_visible_to(fresh(user)).filter(pk=page.pk).exists()  # noqa: E731
    for user in (c.student, c.teacher, c.school_admin, c.province_admin, c.reviewer):
        assert visible(user), user.username
    for user in (c.outsider, c.outsider_student, c.nobody):
        assert not visible(user), user.username
    from django.contrib.auth.models import AnonymousUser

    assert not materials_visible_to(AnonymousUser()).filter(pk=page.pk).exists()


def test_request_changes_needs_a_comment_and_returns_the_draft_to_the_author(library):
    from repository.forms import ApproveForm, ChangesForm

    c = library
    page = make_material(c.teacher, c.school)
    submit(page, c.teacher)
    assert not ChangesForm(data={**ALL_MET, "comment": ""}).is_valid()
    assert not ApproveForm(data={**ALL_MET, "pedagogy": "not_met", "comment": "x"}).is_valid()
    page = act(page, c.group_head, "reject", comment="Bổ sung ví dụ thực tế.", pedagogy="not_met")
    assert page.workflow_states.order_by("-created_at").first().status == "needs_changes"
    appraisal = Appraisal.objects.get(material=page)
    assert appraisal.verdict == Verdict.CHANGES_REQUESTED
    assert appraisal.criteria["pedagogy"] == "not_met"
    assert appraisal.reviewer == c.group_head
    # The author sees the trail on the draft's page context.
    from repository.services import appraisal_history

    assert [a.comment for a in appraisal_history(page)] == ["Bổ sung ví dụ thực tế."]


def test_refusal_ends_the_workflow(library):
    c = library
    page = make_material(c.teacher, c.school)
    submit(page, c.teacher)
    page = act(page, c.group_head, "refuse", comment="Sai kiến thức cơ bản.")
    assert page.current_workflow_state is None
    assert not page.live
    assert Appraisal.objects.get(material=page).verdict == Verdict.REJECTED


def test_nobody_approves_their_own_material(library):
    c = library
    page = make_material(c.group_head, c.school, scope=SharingScope.SCHOOL)
    submit(page, c.group_head)
    assert actions_for(page, c.group_head) == []
    assert actions_for(page, c.school_admin) == ["approve", "reject", "refuse"]
    with pytest.raises(PermissionDenied):
        act(page, c.group_head, "approve")


def test_reviewer_of_another_subject_cannot_act(library):
    from lms.accounts.models import Role
    from lms.accounts.services import create_user, grant_membership
    from lms.curriculum.models import Subject

    c = library
    van_head = create_user(actor=None, username="tt-van", full_name="Tổ trưởng Văn", password="x")
    grant_membership(
        actor=None,
        user=van_head,
        organisation=c.school,
        role=Role.GROUP_HEAD,
        subjects=[Subject.objects.get(slug="ngu-van")],
    )
    page = make_material(c.teacher, c.school)
    submit(page, c.teacher)
    assert actions_for(page, van_head) == []


def test_editing_an_approved_material_needs_appraisal_again_while_the_approved_one_stays_live(library):
    c = library
    page = make_material(c.teacher, c.school, scope=SharingScope.SCHOOL)
    submit(page, c.teacher)
    page = act(page, c.group_head, "approve")
    assert page.live and page.title == "Phân số và các phép tính"
    draft = page.get_latest_revision_as_object()
    draft.title = "Phân số (bản sửa)"
    draft.save_revision(user=fresh(c.teacher))
    submit(MaterialPage.objects.get(pk=page.pk).specific, c.teacher)
    page = MaterialPage.objects.get(pk=page.pk)
    assert page.live and page.title == "Phân số và các phép tính"  # the approved version is still what people see
    page = act(page, c.group_head, "approve")
    assert page.title == "Phân số (bản sửa)"


def test_awaiting_review_lists_only_what_a_reviewer_may_act_on(library, client):
    c = library
    page = make_material(c.teacher, c.school)
    submit(page, c.teacher)
    task = AppraisalTask.objects.get(name__startswith="Tổ chuyên môn")
    assert task.task_states_for(fresh(c.group_head)).count() == 1
    assert task.task_states_for(fresh(c.outsider)).count() == 0
    client.force_login(c.group_head)
    assert page.title in client.get("/library/review/").content.decode()
    client.force_login(c.outsider)
    assert page.title not in client.get("/library/review/").content.decode()


def test_access_rules_for_drafts(library):
    c = library
    page = make_material(c.teacher, c.school)
    for user in (c.teacher, c.school_admin):
        assert access.can(fresh(user), "material.view", page), user.username
    for user in (c.student, c.group_head, c.outsider, c.reviewer):
        assert not access.can(fresh(user), "material.view", page), user.username
    submit(page, c.teacher)
    page = MaterialPage.objects.get(pk=page.pk)
    assert access.can(fresh(c.group_head), "material.view", page)  # appraising now
    assert not access.can(fresh(c.outsider), "material.edit", page)


def test_the_author_reads_the_appraisal_trail_and_outsiders_do_not(library, client):
    from django.urls import reverse

    c = library
    page = make_material(c.teacher, c.school, scope=SharingScope.PROVINCE)
    submit(page, c.teacher)
    act(page, c.group_head, "reject", comment="Thêm ví dụ có mẫu số 4.", pedagogy="not_met")
    url = reverse("library_appraisals", args=[page.pk])

    client.force_login(c.teacher)
    html = client.get(reverse("library_mine")).content.decode()
    assert url in html and "Yêu cầu chỉnh sửa" in html
    html = client.get(url).content.decode()
    assert "Thêm ví dụ có mẫu số 4." in html
    assert "Tính sư phạm" in html and "Chưa đạt" in html
    assert "Sửa lại học liệu rồi gửi thẩm định lại." in html

    for name in ("outsider", "student", "nobody", "province_admin"):
        client.force_login(getattr(c, name))
        assert client.get(url).status_code == 404, name
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
