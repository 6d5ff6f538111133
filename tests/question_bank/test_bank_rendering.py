"""Every construct of the fixtures, rendered as students see it: it renders, and no key leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string

from question_bank import formats
from question_bank.ir import QuestionData
from question_bank.rendering import safe_text, student_view

FIXTURES = Path(__file__).parent / "fixtures"


def _all_questions() -> list[QuestionData]:
    found = []
    for key, path in (("gift", "gift/all_constructs.gift"), ("moodle_xml", "moodle_xml/all_types.xml")):
        found += formats.import_questions(key, (FIXTURES / path).read_bytes()).questions
    return found


def _secrets(q: QuestionData) -> set[str]:
    """Texts only the teacher may see: feedback of every kind."""
    texts = {q.general_feedback, *(a.feedback for a in q.answers)}
    for key in ("correct_feedback", "partially_correct_feedback", "incorrect_feedback"):
        texts.add(str(q.option(key, "") or ""))
    for st in q.option("statements", ()) or ():
        texts.add(str(st.get("feedback", "")))
    for part in q.option("subquestions", ()) or ():
        if isinstance(part, QuestionData):
            texts |= _secrets(part)
    return {t.strip() for t in texts if t and len(t.strip()) > 3}


QUESTIONS = _all_questions()


def _shown(q: QuestionData) -> set[str]:
    """Texts students are meant to see (an option may read like a feedback, e.g. "Đúng")."""
    texts = {a.text.strip() for a in q.answers}
    for part in q.option("subquestions", ()) or ():
        if isinstance(part, QuestionData):
            texts |= _shown(part)
    return texts


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: f"{q.qtype}:{q.name[:20]}")
def test_renders_without_the_key(question):
    html = render_to_string("question_bank/student_question.html", {"view": student_view(question)})
    assert html.strip()
    for secret in _secrets(question) - _shown(question):
        assert str(safe_text(secret)) not in html, secret


def test_every_type_of_the_fixtures_is_covered():
    assert {q.qtype for q in QUESTIONS} >= {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numeric",
        "matching",
        "essay",
        "description",
        "cloze",
    }


def test_cloze_parts_become_inputs_in_place():
    cloze = next(q for q in QUESTIONS if q.qtype == "cloze")
    html = render_to_string("question_bank/student_question.html", {"view": student_view(cloze)})
    assert html.count("<select") + html.count('type="text"') + html.count('type="radio"') >= len(
        cloze.option("subquestions")
    )
    assert "{#" not in html


def test_ordering_items_are_not_shown_in_the_answer_order():
    q = QuestionData(qtype="ordering", stem="Xếp theo thứ tự", options={"items": ("c-ba", "a-một", "b-hai")})
    assert [str(i) for i in student_view(q).items] == ["a-một", "b-hai", "c-ba"]


def test_markdown_plain_and_html_are_made_safe():
    assert "<strong>đậm</strong>" in safe_text("**đậm** <script>x()</script>", "markdown")
    assert "&lt;b&gt;" in safe_text("<b>không</b>", "plain")
    cleaned = safe_text('<img src="javascript:alert(1)" onerror="x()"><a href="https://vn.edu">ok</a>', "html")
    assert "javascript" not in cleaned and "onerror" not in cleaned and 'href="https://vn.edu"' in cleaned
