"""Blueprint papers over the database: the adapter's pool, stored blueprints and papers, the admin pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lms.curriculum.models import Topic
from question_bank import services
from question_bank.blueprint import db as bpdb
from question_bank.blueprint.matrix import MC
from question_bank.ir import Choice, QuestionData
from question_bank.models import Blueprint as BlueprintRecord
from question_bank.models import GeneratedPaper, LevelScheme, QuestionStatus, SharingScope
from tests.question_bank.conftest import level

pytestmark = pytest.mark.django_db


def _mcq(n: int) -> QuestionData:
    return QuestionData(
        qtype="single_choice",
        stem=f"Câu hỏi số {n}: tính $x^{n}$?",
        answers=(Choice(f"{n}", 1), Choice(f"{n + 1}", 0), Choice(f"{n + 2}", 0), Choice(f"{n + 3}", 0)),
    )


@pytest.fixture
def bank(cast, toan6):
    """Six approved Biết questions (bốn mức NB, counted as Biết through the mapping) in a top-level topic."""
    subject, grade, _topic = toan6
    topic = Topic.objects.filter(subject=subject, grade=grade, parent__isnull=True).order_by("order", "pk").first()
    made = []
    for n in range(6):
        lvl = level("bon-muc", "nb") if n % 2 else level("cv7991", "biet")
        q = services.create_question(
            actor=cast.teacher, data=_mcq(n), subject=subject, grade=grade, topic=topic, level=lvl
        )
        services.set_status(q, actor=cast.school_admin, status=QuestionStatus.APPROVED)
        made.append(q)
    private = services.create_question(
        actor=cast.outsider,
        data=_mcq(99),
        subject=subject,
        grade=grade,
        topic=topic,
        level=level("cv7991", "biet"),
        sharing_scope=SharingScope.PRIVATE,
    )
    services.set_status(private, actor=cast.outsider_admin, status=QuestionStatus.APPROVED)
    return subject, grade, topic, made, private


def _record(cast, subject, grade, cells=None) -> BlueprintRecord:
    return BlueprintRecord.objects.create(
        owner=cast.teacher,
        school=cast.school,
        subject=subject,
        grade=grade,
        title="Kiểm tra giữa kì I",
        total_points=10,
        scheme=LevelScheme.objects.get(slug="cv7991"),
        matrix={"formats": ["mc"], "cells": cells or []},
    )


def test_the_pool_holds_the_usable_questions_in_their_row_and_level(cast, bank):
    subject, grade, topic, made, private = bank
    record = _record(cast, subject, grade)
    bp = bpdb.engine_blueprint(record)
    assert bpdb.row_id(topic.pk) in [r.id for r in bp.rows]
    assert [lv.code for lv in bp.levels] == ["biet", "hieu", "van-dung"]
    pool = bpdb.pool_for(record, bp, cast.teacher)
    assert {c.id for c in pool} == {q.current_version_id for q in made}
    assert {(c.row, c.level, c.format) for c in pool} == {(bpdb.row_id(topic.pk), "biet", MC)}
    # The outsider's private question is only in the outsider's own pool; students get nothing.
    assert private.current_version_id in {c.id for c in bpdb.pool_for(record, bp, cast.outsider)}
    assert bpdb.pool_for(record, bp, cast.student) == []


def test_a_stored_paper_reprints_the_frozen_versions(cast, bank):
    from question_bank.blueprint import generate

    subject, grade, topic, made, _private = bank
    row = bpdb.row_id(topic.pk)
    record = _record(cast, subject, grade, [{"row": row, "level": "biet", "format": "mc", "count": 4, "points": "10"}])
    bp = bpdb.engine_blueprint(record)
    result = generate(bp, bpdb.pool_for(record, bp, cast.teacher), variants=3, seed="s")
    assert result.ok, result.report.errors
    paper_set = bpdb.store_generation(record, bp, result, seed="s", settings={}, actor=cast.teacher)
    stored = paper_set.papers.get(code="101")
    services.edit_question(made[0], actor=cast.teacher, data=_mcq(1000))
    _bp, paper = bpdb.stored_paper(stored)
    assert paper == result.papers[0] or paper.question_ids == result.papers[0].question_ids
    assert [i.key for i in paper.items] == [i.key for i in result.papers[0].items]
    assert set(stored.version_ids) <= {q.current_version_id for q in made} | {made[0].versions.first().pk}


def _cells(row: str, count: str, points: str) -> dict:
    return {f"c-{row}-biet-mc-n": count, f"c-{row}-biet-mc-p": points}


def test_a_teacher_builds_generates_and_prints(cast, client, bank):
    subject, grade, topic, _made, _private = bank
    client.force_login(cast.teacher)
    assert client.get(reverse("qb_blueprints:blueprint_list")).status_code == 200
    response = client.post(
        reverse("qb_blueprints:blueprint_create"),
        {
            "title": "Giữa kì I",
            "subject": subject.pk,
            "grade": grade.pk,
            "scheme": LevelScheme.objects.get(slug="cv7991").pk,
            "total_points": "10",
            "formats": ["mc"],
        },
    )
    record = BlueprintRecord.objects.get(title="Giữa kì I")
    assert response.status_code == 302
    edit = reverse("qb_blueprints:blueprint_edit", args=[record.pk])
    row = bpdb.row_id(topic.pk)

    # Too many questions for the bank: the cell says so (in Vietnamese) and nothing is saved.
    page = client.post(edit, _cells(row, "8", "9")).content.decode()
    assert "blueprint.points_mismatch" not in page
    record.refresh_from_db()
    assert record.matrix["cells"] == []
    # Not a number: a clear message, nothing saved.
    page = client.post(edit, _cells(row, "bốn", "10"), follow=True).content.decode()
    record.refresh_from_db()
    assert record.matrix["cells"] == []

    response = client.post(edit, _cells(row, "4", "10"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.matrix["cells"][0]["count"] == 4

    response = client.post(reverse("qb_blueprints:blueprint_generate", args=[record.pk]), {"variants": 4, "seed": "7"})
    assert response.status_code == 302
    papers = GeneratedPaper.objects.filter(paper_set__blueprint=record)
    assert sorted(p.code for p in papers) == ["101", "102", "103", "104"]
    printed = client.get(reverse("qb_blueprints:paper_print", args=[papers.first().pk])).content.decode()
    assert "Câu hỏi số" in printed
    assert "$x^" in printed


def test_a_matrix_with_more_questions_than_the_bank_shows_the_shortage(cast, client, bank):
    subject, grade, topic, _made, _private = bank
    record = _record(cast, subject, grade)
    client.force_login(cast.teacher)
    row = bpdb.row_id(topic.pk)
    response = client.post(reverse("qb_blueprints:blueprint_edit", args=[record.pk]), _cells(row, "10", "10"))
    # A shortage is saved (the bank may grow) but named on the cell, and generation refuses.
    assert response.status_code == 302
    page = client.get(reverse("qb_blueprints:blueprint_edit", args=[record.pk])).content.decode()
    assert "qb-cell-problem" in page
    client.post(reverse("qb_blueprints:blueprint_generate", args=[record.pk]), {"variants": 2})
    assert not GeneratedPaper.objects.filter(paper_set__blueprint=record).exists()


def test_who_may_not_see_or_change_a_blueprint(cast, client, bank):
    from question_bank.blueprint import generate

    subject, grade, topic, _made, _private = bank
    row = bpdb.row_id(topic.pk)
    record = _record(cast, subject, grade, [{"row": row, "level": "biet", "format": "mc", "count": 2, "points": "10"}])
    bp = bpdb.engine_blueprint(record)
    result = generate(bp, bpdb.pool_for(record, bp, cast.teacher), variants=2, seed=1)
    paper = bpdb.store_generation(record, bp, result, seed="1", settings={}, actor=cast.teacher).papers.first()
    urls = [
        reverse("qb_blueprints:blueprint_edit", args=[record.pk]),
        reverse("qb_blueprints:paper_print", args=[paper.pk]),
    ]
    for user in (cast.student, cast.outsider, cast.outsider_admin, cast.outsider_student, cast.nobody):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (302, 404), (user, url)
        response = client.post(reverse("qb_blueprints:blueprint_generate", args=[record.pk]), {"variants": 2})
        assert response.status_code in (302, 404)
        assert record.paper_sets.count() == 1
        assert bpdb.blueprints_visible_to(user).count() == 0
    # A colleague in the school may open and print it, but only the owner and the school's admin edit it.
    client.force_login(cast.group_head)
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[1]).status_code == 200
    client.post(urls[0], _cells(row, "1", "10"))
    record.refresh_from_db()
    assert record.matrix["cells"][0]["count"] == 2
