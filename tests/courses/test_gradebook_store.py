"""The stored grade book: Circular 22 columns, worked examples (gdpt2018.md §5.1), audit, assignment feeds, XLSX."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses import grading, services
from courses.export import gradebook_xlsx
from courses.models import ColumnKind, GradeEntryChange
from lms.curriculum.models import SubjectOffering

pytestmark = pytest.mark.django_db


def cols(course):
    columns = grading.ensure_columns(actor=course.teachers.first(), course=course)
    out = {}
    for c in columns:
        key = f"{c.term}-{c.kind}-{c.position}" if c.kind == ColumnKind.REGULAR else f"{c.term}-{c.kind}"
        out[key] = c
    return out


def fill(teacher, columns, student, term, regular, midterm, final):
    for n, value in enumerate(regular, start=1):
        grading.set_entry(actor=teacher, column=columns[f"{term}-regular-{n}"], student=student, raw=value)
    grading.set_entry(actor=teacher, column=columns[f"{term}-midterm"], student=student, raw=midterm)
    grading.set_entry(actor=teacher, column=columns[f"{term}-final"], student=student, raw=final)


def test_toan_thcs_has_four_regular_columns_and_the_worked_example(world):
    c = world.cast
    columns = cols(world.course)
    # Toán 6: 140 periods a year → 4 ĐĐGtx per semester (Điều 6.2b), plus ĐĐGgk and ĐĐGck, in both terms.
    assert len(columns) == 12
    assert grading.ensure_columns(actor=c.teacher, course=world.course) and len(world.course.grade_columns.all()) == 12
    # HK I: (7 + 8 + 6,5 + 9 + 2 × 7,5 + 3 × 8) / 9 = 69,5 / 9 = 7,72… → 7,7 (typed with a decimal comma)
    fill(c.teacher, columns, c.student, 1, ["7", "8", "6,5", "9"], "7,5", "8")
    # HK II: (8 + 8 + 8,5 + 9 + 2 × 8 + 3 × 8,5) / 9 = 75 / 9 = 8,33… → 8,3; year (7,7 + 2 × 8,3) / 3 = 8,1
    fill(c.teacher, columns, c.student, 2, ["8", "8", "8.5", "9"], "8", "8.5")
    _cols, rows = grading.gradebook(world.course)
    results = rows[0].results
    assert (results["1"], results["2"], results["year"]) == (D("7.7"), D("8.3"), D("8.1"))


def test_an_unfinished_term_is_incomplete_not_a_number(world):
    c = world.cast
    columns = cols(world.course)
    fill(c.teacher, columns, c.student, 1, ["7", "8", "6,5"], "7,5", "8")
    _cols, rows = grading.gradebook(world.course)
    assert grading.result_text(rows[0].results["1"]) == ""
    assert grading.result_text(rows[0].results["year"]) == ""


def test_bad_scores_are_refused_with_a_reason(world):
    c = world.cast
    column = cols(world.course)["1-midterm"]
    for raw, reason in (("11", "từ 0 đến 10"), ("7,25", "một chữ số thập phân"), ("bảy", "không phải là số")):
        with pytest.raises(services.CourseError, match=reason):
            grading.set_entry(actor=c.teacher, column=column, student=c.student, raw=raw)
    with pytest.raises(services.CourseError):
        grading.set_entry(actor=c.teacher, column=column, student=world.other_student, raw="7")  # not in the course
    assert not column.entries.exists()


def test_every_manual_change_is_audited(world):
    c = world.cast
    column = cols(world.course)["1-final"]
    grading.set_entry(actor=c.teacher, column=column, student=c.student, raw="6")
    grading.set_entry(actor=c.school_admin, column=column, student=c.student, raw="6.5")
    grading.set_entry(actor=c.school_admin, column=column, student=c.student, raw="6,5")  # same value: no change row
    grading.set_entry(actor=c.teacher, column=column, student=c.student, raw="")
    trail = list(GradeEntryChange.objects.order_by("pk").values_list("changed_by__username", "old_value", "new_value"))
    assert trail == [("gv", "", "6,0"), ("qtt", "6,0", "6,5"), ("gv", "6,5", "")]


def test_an_assignment_feeds_its_column_and_a_manual_override_wins(world):
    c = world.cast
    column = cols(world.course)["1-regular-1"]
    services.mark_complete(student=c.student, item=world.lesson)
    first = services.submit(student=c.student, assignment=world.homework.assignment, text="2/3")
    services.grade_submission(actor=c.teacher, submission=first, score=D("8.5"))
    grading.link_column(actor=c.teacher, column=column, item=world.homework)  # grades already given flow in
    entry = column.entries.get(student=c.student)
    assert (entry.score, entry.source, entry.is_override) == (D("8.5"), "assignment", False)
    services.grade_submission(actor=c.teacher, submission=first, score=D("9"))
    entry.refresh_from_db()
    assert entry.score == D("9.0")
    grading.set_entry(actor=c.teacher, column=column, student=c.student, raw="7")
    entry.refresh_from_db()
    assert (entry.score, entry.is_override) == (D("7.0"), True)
    services.grade_submission(actor=c.teacher, submission=first, score=D("10"))
    entry.refresh_from_db()
    assert entry.score == D("7.0")  # the teacher's override is kept
    sources = list(GradeEntryChange.objects.order_by("pk").values_list("source", "new_value"))
    assert sources == [("assignment", "8,5"), ("assignment", "9,0"), ("manual", "7,0")]
    with pytest.raises(services.CourseError):
        grading.link_column(actor=c.teacher, column=column, item=world.lesson)  # not an assignment


def test_comment_assessed_subject(world):
    c = world.cast
    gdtc = SubjectOffering.objects.filter(subject__assessment="comment", grade__number=6).first()
    course = services.create_course(
        actor=c.teacher, school=c.school, offering=gdtc, title="GDTC 6A", school_year="2026-2027"
    )
    services.enrol(actor=c.teacher, course=course, students=[c.student], source="admin")
    columns = cols(course)
    assert grading.required_regular(course) == 2 and len(columns) == 8
    for key in ("1-regular-1", "1-regular-2", "1-midterm", "1-final"):
        grading.set_entry(actor=c.teacher, column=columns[key], student=c.student, raw="Đ")
    for key, raw in (("2-regular-1", "đạt"), ("2-regular-2", "CĐ"), ("2-midterm", "Đạt"), ("2-final", "d")):
        grading.set_entry(actor=c.teacher, column=columns[key], student=c.student, raw=raw)
    with pytest.raises(services.CourseError):
        grading.set_entry(actor=c.teacher, column=columns["1-final"], student=c.student, raw="8")
    _cols, rows = grading.gradebook(course)
    results = {k: grading.result_text(v) for k, v in rows[0].results.items()}
    # Semester II has a Chưa đạt, so it is Chưa đạt, and the year is the semester-II result (Điều 9.1a).
    assert results == {"1": "Đạt", "2": "Chưa đạt", "year": "Chưa đạt"}


def test_xlsx_export_in_grade_book_layout(world):
    c = world.cast
    columns = cols(world.course)
    fill(c.teacher, columns, c.student, 1, ["7", "8", "6,5", "9"], "7,5", "8")
    fill(c.teacher, columns, c.student, 2, ["8", "8", "8.5", "9"], "8", "8.5")
    sheet = load_workbook(io.BytesIO(gradebook_xlsx(world.course))).active
    assert sheet["A2"].value == "SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH"
    header = [cell.value for cell in sheet[6]]
    assert header[3:10] == ["ĐĐGtx1", "ĐĐGtx2", "ĐĐGtx3", "ĐĐGtx4", "ĐĐGgk", "ĐĐGck", "ĐTBmhkI"]
    assert header[-1] == "ĐTBmcn"
    assert sheet["D5"].value == "Học kì I" and sheet["K5"].value == "Học kì II"
    row = [cell.value for cell in sheet[7]]
    assert row[:3] == [1, "Đặng Minh Khôi", "001209000001"]
    assert row[3:10] == [7, 8, 6.5, 9, 7.5, 8, 7.7]
    assert row[-1] == 8.1


def test_gradebook_page_saves_all_or_nothing(world, client):
    c = world.cast
    client.force_login(c.teacher)
    url = reverse("courses:gradebook", args=[world.course.uid])
    assert client.get(url).status_code == 200
    columns = {f"{col.term}-{col.kind}-{col.position}": col for col in world.course.grade_columns.all()}
    good = f"e-{columns['1-midterm-1'].pk}-{c.student.pk}"
    bad = f"e-{columns['1-final-1'].pk}-{c.student.pk}"
    response = client.post(url, {good: "7", bad: "12"})
    assert response.status_code == 400
    assert "từ 0 đến 10" in response.content.decode()
    assert not world.course.grade_columns.filter(entries__isnull=False).exists()
    response = client.post(url, {good: "7", bad: "8,5"})
    assert response.status_code == 302
    assert columns["1-final-1"].entries.get().score == D("8.5")
    export = client.get(reverse("courses:gradebook_export", args=[world.course.uid]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
