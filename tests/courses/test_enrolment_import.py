"""Class lists in CSV and XLSX: a preview with one outcome per row, then an all-or-nothing commit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from courses import enrolment_import, services
from lms.accounts.models import Role
from tests.courses.conftest import person

pytestmark = pytest.mark.django_db


def csv_file(text: str, name="lop-6a.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, name="lop-6a.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def more(world):
    c = world.cast
    person("hs3", "Phan Gia Huy", Role.STUDENT, c.school, school_class=c.class_6a, personal_id="001209000003")
    c.outsider_student.personal_id = "010209000009"
    c.outsider_student.save()
    return world


def outcomes(result):
    return [(r.line, r.outcome, r.message) for r in result.rows]


def test_csv_with_bad_rows(more):
    w = more
    text = (
        "STT;Mã định danh;Họ và tên\n"
        "1;001209000001;Đặng Minh Khôi\n"  # already enrolled
        "2;001209000002;Lý Thảo Nguyên\n"  # ready
        "3;00120900000X;Ai Đó\n"  # bad personal id
        "4;001209999999;Không Có\n"  # unknown
        "5;010209000009;Sùng Thị Mỷ\n"  # other school
        "6;001209000002;Lý Thảo Nguyên\n"  # duplicate of line 3
        "7;001209000003;Phan Gia Hùng\n"  # name does not match
        ";;\n"  # blank line, skipped
    )
    result = enrolment_import.preview(w.course, csv_file(text))
    got = {line: (outcome, message) for line, outcome, message in outcomes(result)}
    assert got[2][0] == "enrolled"
    assert got[3] == ("ready", "")
    assert "12 chữ số" in got[4][1]
    assert "Không có học sinh nào" in got[5][1]
    assert "không học ở trường này" in got[6][1]
    assert "dòng 3" in got[7][1]
    assert "không khớp" in got[8][1]
    assert len(result.rows) == 7
    count = enrolment_import.commit(
        actor=w.cast.teacher, course=w.course, token=enrolment_import.sign(w.course, result)
    )
    assert count == 1
    assert set(w.course.enrolments.values_list("student__username", flat=True)) == {"hs", "hs2"}
    assert w.course.enrolments.get(student=w.other_student).source == "class_list"


def test_xlsx_by_username_and_numeric_ids_with_leading_zeros(more):
    w = more
    rows = [
        ["DANH SÁCH LỚP 6A"],  # a title above the header is not how we read it: the first non-empty row is the header
    ]
    result_rows = [
        ["Mã định danh", "Tên đăng nhập", "Họ và tên"],
        [1209000002, None, "Lý Thảo Nguyên"],  # Excel stored the ID as a number and dropped "00"
        [None, "HS3", "phan gia huy"],  # username without regard to case, name without marks and case
        [None, "gv2", None],  # a teacher, not a student
    ]
    result = enrolment_import.preview(w.course, xlsx_file(result_rows))
    got = [(r.outcome, r.student.username if r.student else None) for r in result.rows]
    assert got == [("ready", "hs2"), ("ready", "hs3"), ("error", "gv2")]
    assert "không phải là học sinh" in result.rows[2].message
    with pytest.raises(enrolment_import.ImportFileError):
        enrolment_import.preview(w.course, xlsx_file(rows))  # no usable header


def test_whole_file_errors(world):
    bad = [
        csv_file("Họ và tên\nAi Đó\n"),  # no identifier column
        csv_file(""),
        SimpleUploadedFile("lop.csv", "Mã định danh\n001209000002\n".encode("cp1258", errors="ignore") + b"\xff\xfe"),
        SimpleUploadedFile("lop.xlsx", b"PK\x03\x04 not really a workbook"),
        SimpleUploadedFile("lop.xls", b"\xd0\xcf\x11\xe0 old excel"),
        csv_file("Mã định danh\n"),  # header only
    ]
    for upload in bad:
        with pytest.raises(enrolment_import.ImportFileError):
            enrolment_import.preview(world.course, upload)


def test_commit_is_all_or_nothing_and_tokens_cannot_be_forged(more):
    w = more
    result = enrolment_import.preview(w.course, csv_file("Tên đăng nhập\nhs2\nhs3\n"))
    token = enrolment_import.sign(w.course, result)
    # Between preview and commit hs3 left the school: nobody is enrolled.
    from lms.accounts.models import Membership

    Membership.objects.filter(user__username="hs3").update(is_active=False)
    with pytest.raises(services.CourseError):
        enrolment_import.commit(actor=w.cast.teacher, course=w.course, token=token)
    assert not w.course.enrolments.filter(student=w.other_student).exists()
    with pytest.raises(enrolment_import.ImportFileError):
        enrolment_import.commit(actor=w.cast.teacher, course=w.course, token=token[:-2] + "xx")
    other = services.create_course(
        actor=w.cast.teacher, school=w.cast.school, offering=w.course.offering, title="6B", school_year="2026-2027"
    )
    with pytest.raises(enrolment_import.ImportFileError):
        enrolment_import.commit(actor=w.cast.teacher, course=other, token=token)


def test_upload_pages_preview_then_commit(more, client):
    w = more
    client.force_login(w.cast.teacher)
    url = reverse("courses:enrol_upload", args=[w.course.uid])
    response = client.post(url, {"file": csv_file("Mã định danh,Họ và tên\n001209000002,Lý Thảo Nguyên\nabc,X\n")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lý Thảo Nguyên" in page and "12 chữ số" in page
    assert not w.course.enrolments.filter(student=w.other_student).exists()  # nothing saved by the preview
    token = response.context["token"]
    response = client.post(reverse("courses:enrol_commit", args=[w.course.uid]), {"token": token})
    assert response.status_code == 302
    assert w.course.enrolments.filter(student=w.other_student, is_active=True).exists()
    response = client.post(url, {"file": csv_file("Họ và tên\nX\n")})
    assert response.status_code == 400
    assert "Tên đăng nhập" in response.content.decode()
