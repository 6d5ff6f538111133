"""The library as users see it: browse with counts, material pages, drafts never served, bad input."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.curriculum.models import Grade, Subject
from repository.models import LessonPage, MaterialPage, SharingScope
from tests.repository.conftest import make_material

pytestmark = pytest.mark.django_db


def publish(page, user):
    page.get_latest_revision().publish(user=None)
    return MaterialPage.objects.get(pk=page.pk).specific


def test_material_page_is_served_to_its_audience_and_404_to_others(library, client):
    c = library
    page = publish(make_material(c.teacher, c.school, scope=SharingScope.SCHOOL), c.teacher)
    url = page.url
    client.force_login(c.student)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phân số và các phép tính" in body and "CC BY-SA 4.0" in body and "\\frac{1}{2}" in body
    client.force_login(c.outsider_student)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_national_material_is_public(library, client):
    page = publish(make_material(library.teacher, library.school, scope=SharingScope.NATIONAL), library.teacher)
    assert page.audience_path == ""
    assert client.get(page.url).status_code == 200


def test_a_never_published_draft_is_not_served(library, client):
    page = make_material(library.teacher, library.school)
    client.force_login(library.teacher)
    assert client.get(f"/hoc-lieu/truong-t-ad/{page.slug}/").status_code == 404


def test_browse_counts_follow_visibility(library, client):
    c = library
    publish(make_material(c.teacher, c.school, scope=SharingScope.SCHOOL), c.teacher)
    publish(make_material(c.outsider, c.other_school, title="Số nguyên", scope=SharingScope.SCHOOL), c.outsider)
    client.force_login(c.student)
    rows = dict((s.slug, n) for s, n in client.get("/library/grade/6/").context["rows"])
    assert rows["toan"] == 1  # the other school's material is not counted
    response = client.get("/library/grade/6/toan/")
    assert [m.title for m in response.context["page_obj"].object_list] == ["Phân số và các phép tính"]


def test_browse_query_count_does_not_grow_with_materials(library, client):
    c = library
    publish(make_material(c.teacher, c.school, scope=SharingScope.NATIONAL), c.teacher)
    client.force_login(c.student)
    with CaptureQueriesContext(connection) as one:
        client.get("/library/grade/6/toan/")
    for i in range(6):
        publish(make_material(c.teacher, c.school, title=f"Bài {i}", scope=SharingScope.NATIONAL), c.teacher)
    with CaptureQueriesContext(connection) as seven:
        response = client.get("/library/grade/6/toan/")
    assert len(response.context["page_obj"].object_list) == 7
    assert len(seven) == len(one)


def test_subject_not_taught_in_the_grade_is_refused_with_a_clear_message(library):
    page = LessonPage(
        title="Vật lí lớp 6",
        owner=library.teacher,
        subject=Subject.objects.get(slug="vat-li"),
        author_name="GV",
        slug="vat-li-6",
    )
    page.grades = [Grade.objects.get(number=6)]
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "grades" in excinfo.value.message_dict


def test_formula_with_unbalanced_braces_is_refused(library):
    from repository.blocks import MathBlock

    with pytest.raises(ValidationError):
        MathBlock().clean({"latex": "\\frac{1}{2", "caption": ""})


def test_teachers_get_authoring_rights_on_their_school_area_only(library):
    from wagtail.models import Page

    from repository.models import SchoolLibraryPage

    c = library
    own = SchoolLibraryPage.objects.get(school=c.school)
    other = SchoolLibraryPage.objects.get(school=c.other_school)
    teacher = type(c.teacher).objects.get(pk=c.teacher.pk)
    assert Page.objects.get(pk=own.pk).permissions_for_user(teacher).can_add_subpage()
    assert not Page.objects.get(pk=other.pk).permissions_for_user(teacher).can_add_subpage()
    assert not Page.objects.get(pk=own.pk).permissions_for_user(teacher).can_publish_subpage()
    student = type(c.student).objects.get(pk=c.student.pk)
    assert not Page.objects.get(pk=own.pk).permissions_for_user(student).can_add_subpage()
