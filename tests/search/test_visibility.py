"""Results, totals, facet counts and highlights only ever come from what the user may see:
the same set as the library's own visibility (published, in scope) plus their own drafts."""

from __future__ import annotations

import pytest

from repository.models import MaterialPage, SharingScope
from repository.services import materials_visible_to
from search import indexer
from search.services import search_for, suggest
from tests.repository.conftest import make_material

pytestmark = pytest.mark.django_db


def publish(page):
    page.get_latest_revision().publish(user=None)
    return MaterialPage.objects.get(pk=page.pk)


@pytest.fixture
def materials(engine, cast):
    from repository.services import setup_library

    setup_library()
    c = cast
    made = {
        "school": publish(make_material(c.teacher, c.school, title="Phân số ở trường", scope=SharingScope.SCHOOL)),
        "province": publish(make_material(c.teacher, c.school, title="Phân số Hà Nội", scope=SharingScope.PROVINCE)),
        "national": publish(
            make_material(c.outsider, c.other_school, title="Phân số toàn quốc", scope=SharingScope.NATIONAL, grade=7)
        ),
        "other_school": publish(
            make_material(c.outsider, c.other_school, title="Phân số Bát Xát", scope=SharingScope.SCHOOL)
        ),
        "private": publish(
            make_material(c.teacher, c.school, title="Phân số của riêng tôi", scope=SharingScope.PRIVATE)
        ),
        "draft": make_material(c.teacher, c.school, title="Phân số bí mật chưa duyệt", scope=SharingScope.NATIONAL),
        "other_draft": make_material(c.outsider, c.other_school, title="Phân số nháp Bát Xát"),
    }
    indexer.update("material", [m.pk for m in made.values()])
    return made


def expected_for(user) -> set[int]:
    visible = set(materials_visible_to(user).values_list("pk", flat=True))
    if user.is_authenticated:
        visible |= set(MaterialPage.objects.filter(owner=user, live=False).values_list("pk", flat=True))
    return visible


def test_every_role_sees_exactly_what_the_library_shows_them_plus_their_drafts(materials, cast):
    from django.contrib.auth.models import AnonymousUser

    people = {**cast.everyone(), "anonymous": AnonymousUser()}
    seen = {}
    for name, user in people.items():
        results = search_for(user, "phan so", per_page=50)
        expected = expected_for(user)
        got = {h.object_id for h in results.hits}
        assert got == expected, name
        assert results.total == len(expected), name
        grades = {f.value: f.count for f in results.facets["grade"]}
        by_grade = {}
        for page in MaterialPage.objects.filter(pk__in=expected).prefetch_related("grades"):
            for g in page.grades.all():
                by_grade[str(g.number)] = by_grade.get(str(g.number), 0) + 1
        assert grades == by_grade, name
        seen[name] = got
    m = materials
    assert seen["student"] == {m["school"].pk, m["province"].pk, m["national"].pk}
    assert seen["teacher"] == seen["student"] | {m["private"].pk, m["draft"].pk}
    assert seen["outsider_student"] == {m["national"].pk, m["other_school"].pk}
    assert seen["anonymous"] == seen["nobody"] == {m["national"].pk}


def test_a_draft_leaks_through_neither_hits_counts_highlights_nor_suggestions(materials, cast):
    for user in (cast.student, cast.outsider, cast.school_admin, cast.reviewer, cast.group_head):
        results = search_for(user, "bí mật")
        assert results.total == 0 and results.hits == []
        assert all(values == [] for values in results.facets.values())
        assert suggest(user, "phan so bi") == []
    mine = search_for(cast.teacher, "bi mat")
    assert [h.object_id for h in mine.hits] == [materials["draft"].pk]
    assert mine.hits[0].status == "draft" and "/admin/pages/" in mine.hits[0].url
    assert [s.title for s in suggest(cast.teacher, "phan so bi")] == ["Phân số bí mật chưa duyệt"]


def test_filters_cannot_widen_what_is_visible(materials, cast):
    school = str(cast.other_school.pk)
    results = search_for(cast.student, "", filters={"school": [school]})
    assert {h.object_id for h in results.hits} == {materials["national"].pk}


def test_staff_only_documents_reach_staff_never_students(engine, cast):
    """Questions are shared with staff only ("staff:<path>"): their answers must not reach students."""
    from search.visibility import STAFF
    from tests.search.conftest import doc

    engine.index(
        [
            doc(101, "Câu hỏi phân số cấp tỉnh", audience=STAFF + cast.province.path),
            doc(102, "Câu hỏi phân số toàn quốc", audience=STAFF),
        ]
    )
    for user, expected in (
        (cast.teacher, {101, 102}),
        (cast.reviewer, {101, 102}),
        (cast.outsider, {102}),
        (cast.student, set()),
        (cast.outsider_student, set()),
        (cast.nobody, set()),
    ):
        results = search_for(user, "cau hoi phan so")
        assert {h.object_id for h in results.hits} == expected, user.username
        assert results.total == len(expected)
