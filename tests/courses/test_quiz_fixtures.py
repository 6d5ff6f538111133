"""Helpers (no tests): a quiz in the course of tests/courses/conftest.py with one question per graded kind."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from courses import attempts as engine
from courses.models import Quiz, QuizSlot, Section
from question_bank import services as bank
from question_bank.ir import Choice, QuestionData

SECRET = "BÍ-MẬT-ĐÁP-ÁN"  # in every feedback: must never reach a student before the review allows it


def single() -> QuestionData:
    return QuestionData(
        qtype="single_choice",
        name="Cộng",
        stem="<p>$2 + 3 = ?$</p>",
        general_feedback=f"{SECRET} chung",
        answers=(
            Choice("5", Decimal(1), feedback=f"{SECRET} đúng"),
            Choice("6", Decimal(0), feedback=f"{SECRET} sai"),
            Choice("4", Decimal(0)),
            Choice("7", Decimal(0)),
        ),
    )


def multiple() -> QuestionData:
    return QuestionData(
        qtype="multiple_choice",
        name="Số nguyên tố",
        stem="<p>Chọn các số nguyên tố.</p>",
        answers=(
            Choice("2", Decimal("0.5"), feedback=SECRET),
            Choice("3", Decimal("0.5")),
            Choice("4", Decimal(-1)),
        ),
    )


def true_false_group() -> QuestionData:
    return QuestionData(
        qtype="true_false_group",
        name="Đúng – Sai",
        stem="<p>Cho hàm số $y = x^2$.</p>",
        options={
            "statements": [
                {"text": "Đồ thị đi qua gốc tọa độ.", "correct": True, "feedback": SECRET},
                {"text": "Hàm số nghịch biến trên ℝ.", "correct": False},
                {"text": "Giá trị nhỏ nhất là 0.", "correct": True},
                {"text": "y(2) = 5.", "correct": False},
            ]
        },
    )


def essay() -> QuestionData:
    return QuestionData(qtype="essay", name="Giải thích", stem="<p>Giải thích vì sao 12/18 = 2/3.</p>")


@dataclass
class QuizWorld:
    world: object
    quiz: Quiz
    slots: list[QuizSlot]  # single (1 đ), multiple (2 đ), Đúng–Sai (1 đ), essay (2 đ)
    questions: list

    def slot_of(self, qtype: str) -> QuizSlot:
        return next(s for s in self.slots if s.version.qtype == qtype)


def build_quiz(world, **settings) -> QuizWorld:
    teacher = world.cast.teacher
    section = Section.objects.filter(course=world.course).first()
    defaults = {"attempts_allowed": 2, "shuffle_options": True}
    quiz = engine.create_quiz(actor=teacher, section=section, title="Kiểm tra 15 phút", **(defaults | settings))
    questions, slots = [], []
    for data, points in ((single(), 1), (multiple(), 2), (true_false_group(), 1), (essay(), 2)):
        q = bank.create_question(actor=teacher, data=data, school=world.cast.school)
        questions.append(q)
        slots.append(engine.add_question(quiz=quiz, version=q.current_version, points=points))
    return QuizWorld(world, quiz, slots, questions)


def shown(attempt, slot, authored_index: int) -> int:
    """The shown position of an authored option in this attempt."""
    entry = next(v for v in attempt.variant if v["slot"] == slot.pk)
    return entry["order"].index(authored_index)
