"""Demo courses on top of the core and library demo data: Toán 6A and Ngữ văn 6A at THCS Ánh Dương. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses import grading, services
from courses.models import ColumnKind, Course, EnrolmentSource, ItemKind, Term
from lms.accounts.models import User
from lms.curriculum.models import SubjectOffering
from lms.orgs.models import Organisation, SchoolClass

SCHOOL_YEAR = "2026-2027"


@transaction.atomic
def load_courses_demo(say: Callable[[str], None] = lambda message: None) -> list[Course]:
    school = Organisation.objects.filter(code="THCS-ANHDUONG").first()
    if school is None:
        return []
    say("courses")
    class_6a = SchoolClass.objects.filter(school=school, name="6A", school_year=SCHOOL_YEAR).first()
    students = list(services.school_students(school).filter(memberships__school_class=class_6a))
    now = timezone.now()
    made = []

    toan_teacher = User.objects.get(username="anhduong.gv.toan")
    course = Course.objects.filter(school=school, title="Toán 6A – Học kì I").first()
    if course is None:
        course = services.create_course(
            actor=toan_teacher,
            school=school,
            offering=SubjectOffering.objects.get(subject__slug="toan", grade__number=6),
            title="Toán 6A – Học kì I",
            school_year=SCHOOL_YEAR,
            school_class=class_6a,
        )
        course.description = "Lớp học trực tuyến môn Toán của lớp 6A: bài học từ kho học liệu, bài tập nộp trực tuyến."
        course.save(update_fields=["description"])
        services.enrol(actor=toan_teacher, course=course, students=students, source=EnrolmentSource.CLASS_LIST)
        numbers = services.add_section(actor=toan_teacher, course=course, title="Chương I. Tập hợp các số tự nhiên")
        fractions = services.add_section(actor=toan_teacher, course=course, title="Chương VI. Phân số")
        material = (
            services.materials_for_course(toan_teacher).filter(title__startswith="Phân số").first()
            or services.materials_for_course(toan_teacher).filter(subject__slug="toan").first()
        )
        lesson = None
        if material is not None:
            lesson = services.add_item(
                actor=toan_teacher,
                section=fractions,
                kind=ItemKind.LESSON,
                title="Bài học: Phân số và các phép tính",
                instructions="Đọc bài học, xem ví dụ rồi bấm «Đánh dấu đã xong».",
                material=material,
            )
        homework = services.add_item(
            actor=toan_teacher,
            section=fractions,
            kind=ItemKind.ASSIGNMENT,
            title="Bài tập: Rút gọn phân số",
            instructions="Rút gọn các phân số 12/18, 25/100, 42/56 và trình bày cách làm.",
            prerequisites=[lesson] if lesson else [],
            assignment={"due_at": now + timedelta(days=7)},
        )
        services.add_item(
            actor=toan_teacher,
            section=numbers,
            kind=ItemKind.ASSIGNMENT,
            title="Bài tập: Tập hợp và phần tử",
            instructions="Viết tập hợp các số tự nhiên nhỏ hơn 10 bằng hai cách.",
            available_from=now - timedelta(days=10),
            assignment={"due_at": now - timedelta(days=2), "submission_type": "text"},
        )
        services.add_item(
            actor=toan_teacher,
            section=fractions,
            kind=ItemKind.ASSIGNMENT,
            title="Ôn tập chương VI (mở tuần sau)",
            available_from=now + timedelta(days=7),
            assignment={"due_at": now + timedelta(days=14)},
        )
        columns = grading.ensure_columns(actor=toan_teacher, course=course)
        first_regular = next(c for c in columns if c.term == Term.SEMESTER_1 and c.kind == ColumnKind.REGULAR)
        grading.link_column(actor=toan_teacher, column=first_regular, item=homework)
        if students and lesson is not None:
            student = students[0]
            services.mark_complete(student=student, item=lesson)
            submission = services.submit(
                student=student, assignment=homework.assignment, text="12/18 = 2/3; 25/100 = 1/4; 42/56 = 3/4."
            )
            services.grade_submission(
                actor=toan_teacher, submission=submission, score=Decimal("8.5"), feedback="Làm đúng, trình bày gọn."
            )
        made.append(course)

    van_teacher = User.objects.filter(username="anhduong.gv.van").first()
    if van_teacher and not Course.objects.filter(school=school, title="Ngữ văn 6A").exists():
        van = services.create_course(
            actor=van_teacher,
            school=school,
            offering=SubjectOffering.objects.get(subject__slug="ngu-van", grade__number=6),
            title="Ngữ văn 6A",
            school_year=SCHOOL_YEAR,
            school_class=class_6a,
        )
        services.enrol(actor=van_teacher, course=van, students=students, source=EnrolmentSource.CLASS_LIST)
        section = services.add_section(actor=van_teacher, course=van, title="Bài 1. Lắng nghe lịch sử nước mình")
        services.add_item(
            actor=van_teacher,
            section=section,
            kind=ItemKind.ASSIGNMENT,
            title="Viết đoạn văn về một truyền thuyết em thích",
            instructions="Đoạn văn khoảng 150 chữ; có thể nộp ảnh chụp bài viết tay.",
            assignment={"due_at": now + timedelta(days=5), "submission_type": "either"},
        )
        made.append(van)
    return made
