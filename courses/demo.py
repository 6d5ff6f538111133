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
    if course is not None and not course.items.filter(kind=ItemKind.QUIZ).exists():
        _demo_quiz(course, toan_teacher)

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


def _demo_quiz(course: Course, teacher: User) -> None:
    """A 15-minute quiz with math and a 2025-format Đúng–Sai group, feeding ĐĐGtx 2 of term I."""
    from courses import attempts
    from courses.models.quiz import Review
    from question_bank import services as bank
    from question_bank.ir import Choice, QuestionData

    section = course.sections.order_by("order", "pk").last()
    quiz = attempts.create_quiz(
        actor=teacher,
        section=section,
        title="Kiểm tra 15 phút: Phân số",
        instructions="Làm trong 15 phút. Câu trả lời được lưu ngay khi em chọn; mất mạng vẫn làm tiếp được.",
        time_limit_minutes=15,
        attempts_allowed=2,
        review_after_submit=Review.RESPONSES,
        review_after_close=Review.ANSWERS,
    )
    questions = [
        (
            QuestionData(
                qtype="single_choice",
                name="Rút gọn phân số",
                stem="<p>Phân số $\\dfrac{12}{18}$ rút gọn đến tối giản là:</p>",
                answers=(
                    Choice("$\\dfrac{2}{3}$", Decimal(1), feedback="Chia cả tử và mẫu cho ƯCLN(12, 18) = 6."),
                    Choice("$\\dfrac{4}{6}$", Decimal(0), feedback="Chưa tối giản."),
                    Choice("$\\dfrac{3}{2}$", Decimal(0)),
                    Choice("$\\dfrac{6}{9}$", Decimal(0)),
                ),
            ),
            1,
        ),
        (
            QuestionData(
                qtype="multiple_choice",
                name="Phân số bằng nhau",
                stem="<p>Chọn các phân số bằng $\\dfrac{1}{4}$.</p>",
                answers=(
                    Choice("$\\dfrac{25}{100}$", Decimal("0.5")),
                    Choice("$\\dfrac{3}{12}$", Decimal("0.5")),
                    Choice("$\\dfrac{4}{1}$", Decimal(-1)),
                ),
            ),
            2,
        ),
        (
            QuestionData(
                qtype="true_false_group",
                name="Đúng – Sai: so sánh phân số",
                stem="<p>Cho hai phân số $a = \\dfrac{3}{4}$ và $b = \\dfrac{5}{8}$.</p>",
                options={
                    "statements": [
                        {"text": "$a > b$.", "correct": True},
                        {"text": "$a + b = \\dfrac{11}{8}$.", "correct": True},
                        {"text": "$a - b = \\dfrac{1}{4}$.", "correct": False},
                        {"text": "$a \\cdot b = \\dfrac{15}{32}$.", "correct": True},
                    ]
                },
            ),
            2,
        ),
    ]
    for data, points in questions:
        question = bank.create_question(actor=teacher, data=data, school=course.school)
        attempts.add_question(quiz=quiz, version=question.current_version, points=points)
    columns = grading.ensure_columns(actor=teacher, course=course)
    column = next(
        (c for c in columns if c.term == Term.SEMESTER_1 and c.kind == ColumnKind.REGULAR and c.position == 2), None
    )
    if column is not None and column.source_item_id is None:
        grading.link_column(actor=teacher, column=column, item=quiz.item)
