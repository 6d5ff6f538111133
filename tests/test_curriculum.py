"""Loading the shipped GDPT 2018 curriculum, keeping admin additions, and the public browser pages."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.curriculum.loader import load_curriculum
from lms.curriculum.models import Grade, Outcome, Source, Subject, SubjectOffering, Topic

pytestmark = pytest.mark.django_db


def test_load_is_idempotent(curriculum):
    before = (Topic.objects.count(), Outcome.objects.count(), SubjectOffering.objects.count())
    report = load_curriculum()
    assert report.summary() == "nothing changed"
    assert (Topic.objects.count(), Outcome.objects.count(), SubjectOffering.objects.count()) == before


def test_command_reports_progress_and_result(curriculum, capsys):
    call_command("load_curriculum")
    captured = capsys.readouterr()
    assert "Curriculum loaded" in captured.out
    assert "Loading subjects" in captured.err


def test_every_grade_has_its_level_and_subjects(curriculum):
    assert list(Grade.objects.values_list("number", flat=True)) == list(range(1, 13))
    assert {g.number for g in Grade.objects.filter(level__slug="thcs")} == {6, 7, 8, 9}
    toan = Subject.objects.get(slug="toan")
    assert toan.offerings.count() == 12
    assert SubjectOffering.objects.get(subject=toan, grade__number=6).periods_per_year == 140
    assert SubjectOffering.objects.get(subject__slug="vat-li", grade__number=10).kind == "elective"
    assert not SubjectOffering.objects.filter(subject__slug="vat-li", grade__number=9).exists()


def test_regular_assessment_counts_follow_circular_22(curriculum):
    def count(slug, grade):
        return SubjectOffering.objects.get(subject__slug=slug, grade__number=grade).regular_assessments_per_semester

    assert count("toan", 6) == 4  # 140 periods
    assert count("cong-nghe", 8) == 3  # 52 periods
    assert count("tin-hoc", 6) == 2  # 35 periods
    assert count("lich-su", 10) == 3  # 52 periods
    assert count("giao-duc-the-chat", 6) == 2  # assessed by comment


def test_math_topic_tree_for_grades_6_to_12(curriculum):
    for grade in range(6, 13):
        assert Topic.objects.filter(subject__slug="toan", grade__number=grade, parent=None).count() >= 3, grade
    assert Topic.objects.filter(subject__slug="toan", name__icontains="Phân số", grade__number=6).exists()


def test_admin_added_topics_survive_a_reload(curriculum):
    topic = Topic.objects.create(
        code="toan.6.dia-phuong",
        subject=Subject.objects.get(slug="toan"),
        grade=Grade.objects.get(number=6),
        name="Toán học trong đời sống địa phương",
        source=Source.CUSTOM,
    )
    load_curriculum()
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_topic_in_a_grade_where_the_subject_is_not_taught_is_refused(curriculum):
    topic = Topic(
        code="vat-li.6.x", subject=Subject.objects.get(slug="vat-li"), grade=Grade.objects.get(number=6), name="X"
    )
    with pytest.raises(ValidationError) as excinfo:
        topic.full_clean()
    assert "grade" in excinfo.value.message_dict


def test_curriculum_pages_render_with_a_fixed_number_of_queries(curriculum, client):
    assert client.get(reverse("curriculum")).status_code == 200
    grade_page = client.get(reverse("curriculum_grade", args=[6]))
    assert "Khoa học tự nhiên" in grade_page.content.decode()
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("curriculum_subject", args=[12, "toan"]))
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("curriculum_subject", args=[6, "toan"]))
    assert response.status_code == 200
    assert "Phân số" in response.content.decode()
    assert len(large) == len(small)


def test_unknown_grade_or_subject_is_404(curriculum, client):
    assert client.get(reverse("curriculum_grade", args=[13])).status_code == 404
    assert client.get(reverse("curriculum_subject", args=[9, "vat-li"])).status_code == 404
