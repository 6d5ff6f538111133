"""Coverage arithmetic: which materials count for which unit, topics via sub-topics, outcomes, output."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from lms.curriculum.models import Outcome, Topic
from repository.coverage import coverage, parse_scope
from repository.models import MaterialPage, SharingScope
from tests.repository.conftest import make_material

pytestmark = pytest.mark.django_db


def published(owner, school, topic, scope, outcomes=()):
    page = make_material(owner, school, title=f"Bài {topic.code} {scope}", scope=scope)
    page.topics = [topic]
    page.outcomes = list(outcomes)
    page.save()
    page.save_revision(user=owner).publish(user=None)
    return MaterialPage.objects.get(pk=page.pk)


def row(rows, grade, slug):
    return next(r for r in rows if r.grade == grade and r.subject_slug == slug)


def test_coverage_counts_topics_and_outcomes_by_unit(library):
    c = library
    toan6 = list(Topic.objects.filter(subject__slug="toan", grade__number=6, parent=None, is_special_topic=False))
    total = len(toan6)
    first, second = toan6[0], toan6[1]
    child = Topic.objects.filter(parent=second).first() or second
    outcome = Outcome.objects.filter(topic=first).first()
    published(c.teacher, c.school, first, SharingScope.SCHOOL, outcomes=[outcome] if outcome else [])
    published(c.teacher, c.school, child, SharingScope.PROVINCE)

    school_row = row(coverage(parse_scope("school:T-AD")), 6, "toan")
    assert (school_row.topics_covered, school_row.topics_total) == (2, total)
    assert school_row.topics_pct == (Decimal(200) / total).quantize(Decimal("0.1"))
    if outcome:
        assert school_row.outcomes_covered == 1
    province_row = row(coverage(parse_scope("province:T-01")), 6, "toan")
    assert province_row.topics_covered == 1  # the school-only material does not cover the province
    assert row(coverage(None), 6, "toan").topics_covered == 0  # nothing national yet
    other = row(coverage(parse_scope("school:T-BX")), 6, "toan")
    assert other.topics_covered == 0


def test_command_prints_table_and_csv_and_rejects_bad_scopes(library, capsys):
    call_command("coverage_report", "--scope", "school:T-AD", "--format", "csv")
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("grade,subject,subject_name,topics_total")
    assert any(line.startswith("6,toan,Toán,") for line in out.splitlines())
    call_command("coverage_report", "--scope", "national")
    assert "toan" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("coverage_report", "--scope", "district:x")
    with pytest.raises(CommandError):
        call_command("coverage_report", "--scope", "school:T-01")


def test_coverage_page_and_csv_for_admins_only(library, client):
    c = library
    client.force_login(c.school_admin)
    response = client.get("/library/coverage/")
    assert response.status_code == 200 and "Toán" in response.content.decode()
    csv_response = client.get("/library/coverage/?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert client.get("/library/coverage/?scope=school:T-BX").status_code == 404
    client.force_login(c.province_admin)
    assert client.get("/library/coverage/?scope=school:T-AD").status_code == 200
    assert client.get("/library/coverage/?scope=national").status_code == 404
    client.force_login(c.ministry_admin)
    assert client.get("/library/coverage/?scope=national").status_code == 200
    client.force_login(c.teacher)
    assert client.get("/library/coverage/").status_code == 404
