"""Worked examples: two blueprints of the 2024 template and a synthetic candidate pool.

* :func:`exam_2025_blueprint` — the 40-"question" paper of the 2025 exam for Vật lí (and
  Hoá học, Sinh học): part I 18 multiple choice × 0.25, part II 4 Đúng–Sai × 1 (16
  statements), part III 6 short answers × 0.25 = 4.5 + 4 + 1.5 = 10 points.
* :func:`periodic_test_blueprint` — a periodic test in the reference split of Công văn
  7991 (3 / 2 / 2 / 3 points by format): 12 multiple choice × 0.25, 2 Đúng–Sai × 1,
  4 short answers × 0.5, 3 essay questions × 1.
* :func:`synthetic_pool` — candidates for any blueprint (tests, benchmarks, demos), with
  questions (:class:`~question_bank.ir.QuestionData`) when asked for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from question_bank.blueprint.matrix import ESSAY, LEVELS_CV7991, MC, SHORT, TF, Blueprint, Cell, Row
from question_bank.blueprint.pool import Candidate, candidate_from_question
from question_bank.ir import Choice, QuestionData

Q = Decimal("0.25")


def exam_2025_blueprint() -> Blueprint:
    rows = (
        Row(
            "vl12-nhiet",
            "Vật lí nhiệt",
            "Vật lí 12",
            {
                "biet": "Nêu được khái niệm nội năng, nhiệt độ, nhiệt dung riêng.",
                "hieu": "Giải thích được sự chuyển thể dựa trên mô hình động học phân tử.",
                "van-dung": "Tính được nhiệt lượng trong quá trình truyền nhiệt.",
            },
        ),
        Row(
            "vl12-khi",
            "Khí lí tưởng",
            "Vật lí 12",
            {
                "biet": "Nêu được các giả thuyết của thuyết động học phân tử chất khí.",
                "hieu": "Giải thích được định luật Boyle, Charles bằng mô hình phân tử.",
                "van-dung": r"Vận dụng được phương trình trạng thái $\frac{pV}{T} = \text{const}$.",
            },
        ),
        Row(
            "vl12-tu",
            "Trường từ",
            "Vật lí 12",
            {
                "biet": "Nêu được từ trường là trường lực tác dụng lên nam châm và dòng điện.",
                "hieu": "Xác định được lực từ tác dụng lên đoạn dây dẫn mang dòng điện.",
                "van-dung": r"Vận dụng được $F = BIl\sin\alpha$ trong tình huống thực tế.",
            },
        ),
        Row(
            "vl12-hatnhan",
            "Vật lí hạt nhân và phóng xạ",
            "Vật lí 12",
            {
                "biet": "Nêu được cấu trúc hạt nhân, đồng vị, năng lượng liên kết.",
                "hieu": "Mô tả được các loại phóng xạ và định luật phóng xạ.",
                "van-dung": "Tính được độ phóng xạ, chu kì bán rã trong bài toán đơn giản.",
            },
        ),
    )
    cells = {
        ("vl12-nhiet", "biet", MC): Cell(3, 3 * Q),
        ("vl12-nhiet", "hieu", MC): Cell(1, Q),
        ("vl12-nhiet", "van-dung", MC): Cell(1, Q),
        ("vl12-khi", "biet", MC): Cell(2, 2 * Q),
        ("vl12-khi", "hieu", MC): Cell(2, 2 * Q),
        ("vl12-tu", "biet", MC): Cell(2, 2 * Q),
        ("vl12-tu", "hieu", MC): Cell(2, 2 * Q),
        ("vl12-tu", "van-dung", MC): Cell(1, Q),
        ("vl12-hatnhan", "biet", MC): Cell(2, 2 * Q),
        ("vl12-hatnhan", "hieu", MC): Cell(1, Q),
        ("vl12-hatnhan", "van-dung", MC): Cell(1, Q),
        ("vl12-nhiet", "hieu", TF): Cell(1, 1),
        ("vl12-khi", "biet", TF): Cell(1, 1),
        ("vl12-tu", "van-dung", TF): Cell(1, 1),
        ("vl12-hatnhan", "hieu", TF): Cell(1, 1),
        ("vl12-nhiet", "van-dung", SHORT): Cell(2, 2 * Q),
        ("vl12-khi", "van-dung", SHORT): Cell(1, Q),
        ("vl12-tu", "hieu", SHORT): Cell(1, Q),
        ("vl12-hatnhan", "van-dung", SHORT): Cell(2, 2 * Q),
    }
    return Blueprint(
        rows=rows,
        levels=LEVELS_CV7991,
        formats=(MC, TF, SHORT),
        cells=cells,
        total_points=Decimal(10),
        title="Kiểm tra cuối học kì I",
        subject="Vật lí",
        grade="12",
        duration_minutes=50,
    )


def periodic_test_blueprint() -> Blueprint:
    rows = (
        Row("t10-menh-de", "Mệnh đề và tập hợp", "Toán 10", {"biet": "Nhận biết được mệnh đề, mệnh đề phủ định."}),
        Row(
            "t10-bpt",
            "Bất phương trình bậc nhất hai ẩn",
            "Toán 10",
            {"van-dung": "Vận dụng được hệ bất phương trình bậc nhất hai ẩn vào bài toán thực tiễn."},
        ),
        Row(
            "t10-ham-so",
            "Hàm số bậc hai",
            "Toán 10",
            {"hieu": r"Xác định được đỉnh và trục đối xứng của đồ thị $y = ax^2 + bx + c$."},
        ),
    )
    half = Decimal("0.5")
    cells = {
        ("t10-menh-de", "biet", MC): Cell(2, 2 * Q),
        ("t10-menh-de", "hieu", MC): Cell(2, 2 * Q),
        ("t10-bpt", "biet", MC): Cell(2, 2 * Q),
        ("t10-bpt", "hieu", MC): Cell(1, Q),
        ("t10-bpt", "van-dung", MC): Cell(1, Q),
        ("t10-ham-so", "biet", MC): Cell(2, 2 * Q),
        ("t10-ham-so", "hieu", MC): Cell(1, Q),
        ("t10-ham-so", "van-dung", MC): Cell(1, Q),
        ("t10-menh-de", "hieu", TF): Cell(1, 1),
        ("t10-ham-so", "biet", TF): Cell(1, 1),
        ("t10-bpt", "van-dung", SHORT): Cell(2, 1),
        ("t10-ham-so", "hieu", SHORT): Cell(1, half),
        ("t10-ham-so", "van-dung", SHORT): Cell(1, half),
        ("t10-menh-de", "van-dung", ESSAY): Cell(1, 1),
        ("t10-bpt", "van-dung", ESSAY): Cell(1, 1),
        ("t10-ham-so", "van-dung", ESSAY): Cell(1, 1),
    }
    return Blueprint(
        rows=rows,
        formats=(MC, TF, SHORT, ESSAY),
        cells=cells,
        title="Kiểm tra giữa học kì I",
        subject="Toán",
        grade="10",
        duration_minutes=90,
    )


def example_question(fmt: str, n: int, rng: random.Random) -> QuestionData:
    """A question of a format with Vietnamese text and math (numbered ``n``)."""
    if fmt == MC:
        right = rng.randrange(4)
        return QuestionData(
            "single_choice",
            name=f"MC {n}",
            stem=f"<p>Câu hỏi trắc nghiệm số {n}: giá trị của $x^2$ khi $x = {n % 7}$ là</p>",
            answers=tuple(
                Choice(f"${(n % 7) ** 2 + (0 if i == right else i + 1)}$", Decimal(1 if i == right else 0))
                for i in range(4)
            ),
            options={"shuffle": rng.random() > 0.1},
        )
    if fmt == TF:
        return QuestionData(
            "true_false_group",
            name=f"ĐS {n}",
            stem=f"<p>Cho hàm số $f(x) = x^2 - {n % 5}x$. Xét tính đúng sai của các mệnh đề sau.</p>",
            options={
                "statements": tuple(
                    {"text": f"Mệnh đề {letter} của câu {n}.", "correct": rng.random() > 0.5, "feedback": ""}
                    for letter in "abcd"
                )
            },
        )
    if fmt == SHORT:
        return QuestionData(
            "short_numeric_2025",
            name=f"TLN {n}",
            stem=f"<p>Tính $\\sqrt{{{(n % 9 + 1) ** 2}}}$.</p>",
            answers=(Choice(str(n % 9 + 1), Decimal(1)),),
        )
    return QuestionData(
        "essay",
        name=f"TL {n}",
        stem=f"<p>Giải bài toán số {n} và trình bày lời giải.</p>",
        options={"grader_info": "Lời giải đúng: 1 điểm."},
    )


def synthetic_pool(
    bp: Blueprint,
    per_cell: int | Callable[[tuple[str, str, str], int], int] = 10,
    seed: int = 0,
    with_questions: bool = False,
) -> list[Candidate]:
    """Candidates for every cell of ``bp`` that asks for questions.

    ``per_cell`` is a number, or a function of (cell key, items needed) giving how many to make.
    Multiple-choice candidates have 4 answers (one in ten may not be shuffled); Đúng–Sai have
    4 statements. With ``with_questions`` each candidate carries a :class:`QuestionData`.
    """
    rng = random.Random(seed)  # noqa: S311 (test data)
    pool: list[Candidate] = []
    n = 0
    for key, count, _points in bp.active_cells():
        row, level, fmt = key
        how_many = per_cell(key, count) if callable(per_cell) else per_cell
        for _ in range(how_many):
            n += 1
            if with_questions:
                cand = candidate_from_question(n, example_question(fmt, n, rng), row=row, level=level)
                assert cand is not None  # noqa: S101 (every format above has a type)
                pool.append(cand)
            elif fmt == MC:
                pool.append(Candidate(n, row, level, fmt, 4, rng.random() > 0.1, (rng.randrange(4),)))
            elif fmt == TF:
                pool.append(Candidate(n, row, level, fmt, 4, True, tuple(rng.random() > 0.5 for _ in range(4))))
            elif fmt == SHORT:
                pool.append(Candidate(n, row, level, fmt, answers=(str(n % 100),)))
            else:
                pool.append(Candidate(n, row, level, fmt))
    return pool
