"""The search contract, the same on every engine: Vietnamese matching and ranking, filters,
facets, sorting, pagination, highlights, suggestions, updates and deletes."""

from __future__ import annotations

import pytest

from search.backends.base import SearchQuery
from search.visibility import Audience
from tests.search.conftest import doc

pytestmark = pytest.mark.django_db

LIBRARY = [
    doc(1, "Toán lớp 6 – Phân số", keywords="Toán Lớp 6", summary="Khái niệm phân số, phân số bằng nhau."),
    doc(2, "Phép cộng phân số", keywords="Toán Lớp 6", summary="Cộng hai phân số khác mẫu.", popularity=50),
    doc(3, "Số nguyên", keywords="Toán Lớp 6", summary="Tập hợp các số nguyên và thứ tự."),
    doc(4, "Đường tròn", grade=9, keywords="Toán Lớp 9", summary="Đường kính, dây cung, tiếp tuyến."),
    doc(5, "Toàn cảnh lịch sử Việt Nam", grade=6, subject="lich-su", keywords="Lịch sử Lớp 6"),
    doc(6, "Văn bản nghị luận", grade=8, subject="ngu-van", keywords="Ngữ văn Lớp 8", kind="worksheetpage"),
    doc(7, "Số học và phân tích dữ liệu", grade=[6, 7], keywords="Toán", summary="Thu thập dữ liệu."),
    doc(8, "Phân số thập phân", grade=5, keywords="Toán Lớp 5", kind="testpaperpage", popularity=10),
    doc(9, "Dương xỉ và rêu", grade=6, subject="khtn", keywords="Khoa học tự nhiên Lớp 6"),
]


@pytest.fixture
def library(engine):
    engine.index(LIBRARY)
    return engine


def ids(results):
    return [h.object_id for h in results.hits]


def run(backend, text="", **kwargs):
    return backend.search(SearchQuery(text=text, **kwargs))


def test_without_diacritics_finds_the_accented_title_first(library):
    results = run(library, "toan lop 6 phan so")
    assert ids(results)[0] == 1
    assert set(ids(results)) == {1, 2}  # every word must match: grade 5's and history's do not


@pytest.mark.parametrize("text", ["Toán lớp 6 phân số", "TOAN LOP 6 PHAN SO", "tOáN lỚp 6 PhâN Số"])
def test_accents_and_case_do_not_matter(library, text):
    assert ids(run(library, text))[0] == 1


def test_d_and_dj_match(library):
    assert ids(run(library, "duong tron")) == [4]
    assert ids(run(library, "ĐƯỜNG TRÒN")) == [4]
    assert 9 in ids(run(library, "duong"))  # "Dương" folds to "duong" as well


def test_exact_accents_rank_above_folded_matches(library):
    assert ids(run(library, "toàn cảnh"))[0] == 5
    assert ids(run(library, "toàn"))[0] == 5
    assert ids(run(library, "toán"))[0] != 5
    assert ids(run(library, "đường"))[0] == 4
    assert ids(run(library, "dương"))[0] == 9


def test_word_order_does_not_matter(library):
    assert set(ids(run(library, "so phan"))) == set(ids(run(library, "phan so")))
    assert ids(run(library, "nguyen so")) == [3]


def test_one_typo_in_a_longer_word_is_forgiven(library):
    assert ids(run(library, "so nguyem")) == [3]
    assert 4 in ids(run(library, "duong trom"))
    assert ids(run(library, "xyzw nguyen")) == []  # a word nothing resembles still has to match


def test_a_quoted_phrase_keeps_its_word_order(library):
    loose = set(ids(run(library, "phan so")))
    phrase = set(ids(run(library, '"phan so"')))
    assert 7 in loose and 7 not in phrase  # "Số học và phân tích": both words, not together
    assert {1, 2, 8} <= phrase


def test_filters_narrow_and_facets_count_the_filtered_results(library):
    results = run(library, "phan so")
    grades = {f.value: f.count for f in results.facets["grade"]}
    assert grades == {"6": 3, "5": 1, "7": 1}
    narrowed = run(library, "phan so", filters={"grade": ("6",), "subject": ("toan",)})
    assert set(ids(narrowed)) == {1, 2, 7}
    kinds = {f.value: f.count for f in narrowed.facets["kind"]}
    assert kinds == {"lessonpage": 3}
    assert [f.value for f in narrowed.facets["grade"] if f.selected] == ["6"]
    either = run(library, "", filters={"grade": ("5", "9")})
    assert set(ids(either)) == {4, 8} and either.total == 2


def test_sorting(library):
    assert ids(run(library, "phan so", sort="newest")) == [8, 7, 2, 1]
    assert ids(run(library, "phan so", sort="popular"))[:2] == [2, 8]
    assert ids(run(library, ""))[:3] == [9, 8, 7]  # no words: newest first


def test_pagination(library):
    first = run(library, "", per_page=4, page=1)
    third = run(library, "", per_page=4, page=3)
    assert first.total == 9 and first.pages == 3
    assert ids(first) == [9, 8, 7, 6] and ids(third) == [1]
    assert run(library, "", per_page=4, page=99).hits == []


def test_highlights_mark_the_original_words(library):
    hit = run(library, "phan so")
    first = next(h for h in hit.hits if h.object_id == 1)
    assert "<mark>Phân</mark> <mark>số</mark>" in first.title_html
    assert "<mark>phân</mark> <mark>số</mark>" in first.snippet_html


def test_suggestions_complete_the_last_word(library):
    titles = [s.title for s in library.suggest("phep cong ph", Audience())]
    assert titles == ["Phép cộng phân số"]
    titles = [s.title for s in library.suggest("đườ", Audience())]
    assert titles[0] == "Đường tròn"  # the exact form first, "Dương xỉ" (also "duo…") after
    assert "Phân số thập phân" in [s.title for s in library.suggest("phan s", Audience())]


def test_update_replaces_and_delete_removes(library):
    library.index([doc(3, "Số tự nhiên", keywords="Toán Lớp 6")])
    assert ids(run(library, "so nguyen")) == []
    assert ids(run(library, "so tu nhien")) == [3]
    library.delete(["material:3", "material:999"])
    assert ids(run(library, "so tu nhien")) == []
    assert run(library, "").total == 8


def test_empty_and_odd_input_is_harmless(library):
    assert run(library, "   ").total == 9
    assert run(library, '"" *** ( - : ^ ').total == 9
    assert run(library, "phan OR so NOT AND").total == 0  # operators are words like any other
    assert run(library, "phân số' OR 1=1 --").total >= 0
    assert run(library, "a" * 600).total == 0


def test_rebuild_on_a_fresh_engine_then_again_replaces_everything(engine):
    seen = []
    assert engine.rebuild([LIBRARY[:5], LIBRARY[5:]], 9, lambda n, t: seen.append(n)) == 9
    assert seen == [5, 9]
    assert run(engine, "").total == 9 and engine.count() == 9
    engine.rebuild([[doc(50, "Hình thang cân")]], 1)
    assert ids(run(engine, "")) == [50] and ids(run(engine, "hinh thang")) == [50]
