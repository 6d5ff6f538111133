"""The print view of a variant, rendered from plain data with Django's template engine, and
the translated findings a teacher reads."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from question_bank.blueprint import (
    ESSAY,
    MC,
    SHORT,
    TF,
    Blueprint,
    Candidate,
    Cell,
    Row,
    candidate_from_question,
    check_blueprint,
    generate,
)
from question_bank.blueprint.checks import Finding
from question_bank.blueprint.examples import exam_2025_blueprint, periodic_test_blueprint, synthetic_pool
from question_bank.blueprint.messages import MESSAGES, describe, where
from question_bank.blueprint.printing import print_context, safe_html
from question_bank.ir import Choice, QuestionData


def render(context) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("vi"):
        return render_to_string("question_bank/paper_print.html", context, request=request)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_printed_variant_has_header_parts_answer_sheet_and_teacher_page():
    bp = periodic_test_blueprint()
    result = generate(bp, synthetic_pool(bp, 5, with_questions=True), variants=2, seed=4)
    paper = result.papers[1]
    html = render(print_context(bp, paper, school="Trường THPT Chu Văn An", school_year="2025–2026"))
    text = text_of(html)
    assert "Trường THPT Chu Văn An" in text
    assert "Kiểm tra giữa học kì I – 2025–2026" in text
    assert re.search(r"\b102\b", text)
    assert [m for m in re.findall(r'id="part-(I|II|III|IV)"', html)] == ["I", "II", "III", "IV"]
    assert html.count('class="question"') == 21
    # math is left as $…$ for KaTeX, and KaTeX is wired in (styles + on-demand script)
    assert "$x^2$" in html and "katex.min.css" in html and "data-math-src" in html
    # the page breaks and the A4 page size are in the print styles
    assert "@page { size: A4" in html and html.count('class="paper-sheet page') == 2
    # answer sheet rows for every question of parts I–III
    assert html.count('<span class="bubble" aria-hidden="true">A</span>') == 12
    # the teacher's key lists every question with its answer in the shown order
    first_mc = paper.items[0]
    assert re.search(
        rf"<td>I</td><th scope=\"row\">{first_mc.number}</th>\s*<td class=\"text\">{first_mc.key[0]}</td>", html
    )
    # the specification table names the requirement and where it is tested
    assert "Vận dụng được hệ bất phương trình bậc nhất hai ẩn vào bài toán thực tiễn." in text


def test_the_options_are_printed_in_the_variant_s_order():
    bp = Blueprint(rows=(Row("a", "A"),), formats=(MC,), cells={("a", "biet", MC): Cell(1, Decimal(10))})
    question = QuestionData(
        "single_choice",
        stem="<p>Thủ đô của Việt Nam là</p>",
        answers=(Choice("Hà Nội", Decimal(1)), Choice("Huế"), Choice("Đà Nẵng"), Choice("Cần Thơ")),
    )
    cand = Candidate("q1", "a", "biet", MC, 4, True, (0,), data=question)
    for seed in range(5):
        paper = generate(bp, [cand], variants=1, seed=seed).papers[0]
        html = render(print_context(bp, paper))
        shown = re.findall(r"<li><span>([A-D])\.</span>([^<]+)</li>", html)
        assert [name for _letter, name in shown] == [question.answers[i].text for i in paper.items[0].order]
        [(letter, _name)] = [s for s in shown if s[1] == "Hà Nội"]
        assert paper.items[0].key == (letter,)


def test_question_text_cannot_run_script_on_the_printed_page():
    dirty = (
        '<p onclick="steal()">Tính <b>x</b><script>alert(1)</script> '
        '<img src="javascript:alert(1)" alt="hình"><img src="https://ex.vn/a.png" onerror="x()">'
        '<a href="javascript:alert(2)">link</a><iframe src="https://evil"></iframe><!-- c --></p>'
    )
    clean = safe_html(dirty)
    assert "script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "iframe" not in clean and "<a" not in clean
    assert "<b>x</b>" in clean and 'src="https://ex.vn/a.png"' in clean and "hình" in clean and "link" in clean
    assert safe_html("a < b\nc", "plain") == "a &lt; b<br>c"
    assert safe_html('<img src="@@PLUGINFILE@@/h.png">', file_url=lambda ref: "/media/qb/h.png") == (
        '<img src="/media/qb/h.png">'
    )
    bp = Blueprint(rows=(Row("a", "A"),), formats=(SHORT,), cells={("a", "biet", SHORT): Cell(1, Decimal(10))})
    cand = Candidate("s", "a", "biet", SHORT, answers=("5",), data=QuestionData("short_answer", stem=dirty))
    html = render(print_context(bp, generate(bp, [cand], variants=1).papers[0]))
    assert "alert(1)" not in html and "steal()" not in html


def test_a_question_that_cannot_be_loaded_prints_a_visible_placeholder():
    bp = exam_2025_blueprint()
    result = generate(bp, synthetic_pool(bp, 3), variants=1, seed=1)
    html = render(print_context(bp, result.papers[0]))
    assert html.count('class="missing"') == 28


def test_every_finding_reads_in_vietnamese_with_its_figures():
    bp = Blueprint(
        rows=(Row("a", "Hàm số"),),
        formats=(MC, TF),
        cells={("a", "biet", TF): Cell(2, Decimal(1)), ("a", "hieu", MC): Cell(4, Decimal(1))},
    )
    report = check_blueprint(bp, [], variants=2)
    with translation.override("vi"):
        texts = {f.code: (describe(f), where(f, bp)) for f in report.findings}
    assert set(texts) == {"cell.tf_points", "cell.short_of_questions", "blueprint.points_mismatch"}
    assert "2" in texts["blueprint.points_mismatch"][0] and "10" in texts["blueprint.points_mismatch"][0]
    assert texts["cell.tf_points"][1].startswith("Hàm số · Biết · ")
    assert texts["blueprint.points_mismatch"][1] == ""
    for code in MESSAGES:
        assert describe(Finding(code, "english", params={})), code
    assert describe(Finding("unknown.code", "english")) == "english"


HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<script>",
        "</script>",
        "alert(1)",
        '<img src="javascript:x()" onerror="y()">',
        '<img src="//evil.example/x.png">',
        '<img src="data:image/svg+xml,<svg onload=z()>">',
        '<a href="javascript:void(0)">',
        "</a>",
        '<div style="background:url(javascript:q())" onclick="w()">',
        "<svg onload=v()>",
        "<iframe srcdoc='<script>u()</script>'>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<style>",
        "$x^2 < y$",
        "Tiếng Việt & ",
        '"',
        "'",
        "<math><mi>x</mi></math>",
        "<td colspan=2 onmouseover=t()>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(HTML_BITS, max_size=12).map("".join))
def test_no_imported_text_can_bring_script_into_a_printed_paper(text):
    clean = safe_html(text).lower()
    assert "<script" not in clean and "<iframe" not in clean and "<svg" not in clean and "<style" not in clean
    assert not re.search(r"<[^>]*\son\w+\s*=", clean), clean
    assert not re.search(r"<[^>]*(javascript:|data:image/svg)", clean), clean
    assert " style=" not in clean and 'src="//' not in clean


def test_the_key_prints_numbers_with_a_decimal_comma_and_essay_guides_safely():
    bp = Blueprint(
        rows=(Row("a", "A"),),
        formats=(SHORT, ESSAY),
        cells={("a", "biet", SHORT): Cell(1, Decimal(5)), ("a", "biet", ESSAY): Cell(1, Decimal(5))},
    )
    numeric = QuestionData("numeric", stem="g = ?", answers=(Choice("9.8", Decimal(1), tolerance=Decimal("0.05")),))
    essay = QuestionData(
        "essay", stem="Chứng minh.", options={"grader_info": "<p>Đúng <b>1 điểm</b><script>x()</script></p>"}
    )
    pool = [
        candidate_from_question("n", numeric, row="a", level="biet"),
        candidate_from_question("e", essay, row="a", level="biet"),
    ]
    html = render(print_context(bp, generate(bp, pool, variants=1).papers[0]))
    assert "9,8 ± 0,05" in html
    assert "<b>1 điểm</b>" in html and "x()" not in html


def test_the_teacher_page_shows_the_share_of_points_by_level_and_format():
    bp = exam_2025_blueprint()
    context = print_context(bp, generate(bp, synthetic_pool(bp, 3), variants=1).papers[0])
    by_level = {s["label"]: (s["units"], s["points"], s["percent"]) for s in context["level_summary"]}
    # Biết: 9 multiple choice (2.25) + 1 Đúng–Sai (4 statements, 1 point) = 3.25 points
    assert by_level["Biết"] == (13, Decimal("3.25"), 33)
    assert sum(s["units"] for s in context["level_summary"]) == 40
    assert [s["percent"] for s in context["format_summary"]] == [45, 40, 15]
    html = render(context)
    assert "33%" in html and "45%" in html
