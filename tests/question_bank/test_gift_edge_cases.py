"""GIFT edge cases from Moodle's GIFT documentation, each written as a teacher would type it.

A ``$CATEGORY: path`` line sets the category of the questions that follow it. Files exported by
Moodle put a blank line after it, but hand-written files (and some exporters) put the first
question on the very next line: that question must not be lost, nor glued onto the category path.
"""

from decimal import Decimal

import pytest

from question_bank.formats.gift import import_gift

D = Decimal


def read(text):
    report = import_gift(text)
    assert report.rejected == []
    return report.questions


def test_a_question_right_after_a_category_line_is_imported_in_that_category():
    first, second = read("$CATEGORY: Toán 6/Đại số\n::A::1 + 1 = 2?{T}\n\n::B::2 + 2 = 5?{F}\n")
    assert (first.name, first.qtype, first.stem, first.category_path) == (
        "A",
        "true_false",
        "1 + 1 = 2?",
        ("Toán 6", "Đại số"),
    )
    assert [a.fraction for a in first.answers] == [1, 0]
    assert (second.name, second.category_path) == ("B", ("Toán 6", "Đại số"))
    assert (first.source_line, second.source_line) == (2, 4)


def test_comments_ids_and_tags_between_the_category_line_and_its_question_belong_to_the_question():
    text = (
        "// question: 0  name: Switch category to $course$/top/Lớp 6\n"
        "$CATEGORY: $course$/top/Lớp 6\n"
        "// question: 12  name: Q\n"
        "// [id:T6-01] [tag:số học]\n"
        "::Q::Số nào chẵn? {=2 ~3 ~5}\n"
    )
    (q,) = read(text)
    assert (q.name, q.qtype, q.idnumber, q.tags) == ("Q", "single_choice", "T6-01", ("số học",))
    assert q.category_path == ("$course$", "top", "Lớp 6")
    assert q.source_line == 5


def test_the_last_of_consecutive_category_lines_wins():
    (q,) = read("$CATEGORY: Lớp 6\n$CATEGORY: Lớp 7/Hình học\n::Q::Tam giác có mấy cạnh? {#3}\n")
    assert q.category_path == ("Lớp 7", "Hình học")
    assert [(a.text, a.tolerance) for a in q.answers] == [("3", 0)]


def test_a_category_line_inside_a_block_starts_a_new_category_for_what_follows():
    first, second = read("::A::a {T}\n$CATEGORY: Lớp 8\n::B::b {=x ~y}\n")
    assert (first.name, first.category_path) == ("A", ())
    assert (second.name, second.qtype, second.category_path) == ("B", "single_choice", ("Lớp 8",))


def test_a_category_line_alone_at_the_end_of_a_block_imports_nothing_and_rejects_nothing():
    (q,) = read("::A::a {T}\n\n$CATEGORY: Lớp 9\n")
    assert q.category_path == ()


# The other constructs of the documentation, in the shapes hand-written files take. They were
# already read correctly; kept here so that the category fix (and later ones) cannot break them.
EDGE_CASES = [
    (
        "::A::Dòng một\n// lời chú thích\ndòng hai {\n=có # đúng\n// bỏ qua\n~không\n}\n",
        "single_choice",
        "Dòng một\ndòng hai",
    ),
    ("::Giờ\\: phút::Hỏi\\: 2\\=2? {=a\\~b\\#c ~x\\{y\\}}\n", "single_choice", "Hỏi: 2=2?"),
    ("  ::  Tên  ::  Câu hỏi {T}\n", "true_false", "Câu hỏi"),
    ("::H::[html]<p>Q</p>{=[html]<b>a</b>#[html]<i>f</i> ~[plain]b}\n", "single_choice", "<p>Q</p>"),
    ("::M::[markdown]**Đậm** ? {T}\n", "true_false", "**Đậm** ?"),
    ("::N::x {# -5 .. -3 }\n", "numeric", "x"),
    ("::N2::pi {#3.14159:0.0005#Tốt}\n", "numeric", "pi"),
    ("::N3::y {#\n=%100%1822:0#đúng\n=%50%1822:2#gần\n}\n", "numeric", "y"),
    ("::MT::Ghép {\n=a -> 1\n=b -> 2\n=c -> 3\n####chung}\n", "matching", "Ghép"),
    ("{=Hà Nội ~Huế} là thủ đô.\n", "single_choice", "_____ là thủ đô."),
    ("::E::Viết {####Hướng dẫn}\n", "essay", "Viết"),
    ("::TF::Trời xanh {TRUE#Sai rồi#Đúng rồi####chung}\n", "true_false", "Trời xanh"),
    ("::L::$$x^\\{2\\}$$ và \\(a\\) {T}\n", "true_false", "$$x^{2}$$ và \\(a\\)"),
]


@pytest.mark.parametrize(("text", "qtype", "stem"), EDGE_CASES)
def test_documented_constructs_in_hand_written_shapes(text, qtype, stem):
    (q,) = read(text)
    assert (q.qtype, q.stem) == (qtype, stem)


def test_details_of_the_hand_written_shapes():
    esc, html, neg, multi, match, tf = (read(EDGE_CASES[i][0])[0] for i in (1, 3, 5, 7, 8, 11))
    assert esc.name == "Giờ: phút"
    assert [a.text for a in esc.answers] == ["a~b#c", "x{y}"]
    assert [(a.text, a.feedback, a.format) for a in html.answers] == [
        ("<b>a</b>", "<i>f</i>", "html"),
        ("b", "", "plain"),
    ]
    assert [(a.text, a.tolerance) for a in neg.answers] == [("-4", 1)]
    assert [(a.fraction, a.tolerance, a.feedback) for a in multi.answers] == [(1, 0, "đúng"), (D("0.5"), 2, "gần")]
    assert [(s["text"], s["answer"]) for s in match.options["subquestions"]] == [("a", "1"), ("b", "2"), ("c", "3")]
    assert match.general_feedback == "chung"
    assert [(a.fraction, a.feedback) for a in tf.answers] == [(1, "Đúng rồi"), (0, "Sai rồi")]
    assert tf.general_feedback == "chung"
