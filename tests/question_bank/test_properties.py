"""Property tests: importers never raise, and export → import preserves every question."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.formats import FORMATS
from question_bank.formats.base import ImportReport
from question_bank.formats.gift import export_gift, import_gift
from question_bank.formats.moodle_xml import export_moodle_xml, import_moodle_xml
from question_bank.formats.qti21 import export_qti21_items
from question_bank.serialize import from_json_dict, to_json_dict
from question_bank.types import grade
from tests.question_bank.strategies import gift_questions, xml_questions

FIXTURES = Path(__file__).parent / "fixtures"
IMPORTERS = {key: spec.importer for key, spec in FORMATS.items() if spec.importer}
VALID = {
    "gift": (FIXTURES / "gift" / "all_constructs.gift").read_bytes(),
    "aiken": (FIXTURES / "aiken" / "valid.txt").read_bytes(),
    "moodle_xml": (FIXTURES / "moodle_xml" / "all_types.xml").read_bytes(),
}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _is_report(report):
    assert isinstance(report, ImportReport)
    for rejection in report.rejected:
        assert rejection.reason and rejection.code


@FAST
@given(data=st.binary(max_size=400), key=st.sampled_from(sorted(IMPORTERS)))
def test_random_bytes_never_raise(data, key):
    _is_report(IMPORTERS[key](data))


@FAST
@given(text=st.text(max_size=300), key=st.sampled_from(sorted(IMPORTERS)))
def test_random_text_never_raises(text, key):
    _is_report(IMPORTERS[key](text))


@st.composite
def mutations(draw):
    key = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[key])
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["delete", "insert", "replace", "truncate"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "delete":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "insert":
            data[position:position] = draw(
                st.sampled_from(
                    [
                        b"{",
                        b"}",
                        b"~",
                        b"=",
                        b"#",
                        b"::",
                        b"<",
                        b"</question>",
                        b"\n\n",
                        b"%",
                        b"\\",
                        b"\xff",
                        b"&b;",
                        b"{1:SA:",
                    ]
                )
            )
        elif action == "replace" and data:
            data[position] = draw(st.integers(0, 255))
        else:
            del data[position:]
    return key, bytes(data)


@settings(max_examples=150, deadline=None)
@given(mutations())
def test_mutated_valid_files_never_raise(mutated):
    key, data = mutated
    for importer in IMPORTERS.values():  # also the "wrong" importer for the file
        _is_report(importer(data))
    report = IMPORTERS[key](data)
    for question in report.questions:
        grade(question, None)  # graders never raise either


@FAST
@given(questions=st.lists(gift_questions, min_size=1, max_size=3))
def test_gift_round_trip(questions):
    exported = export_gift(questions)
    assert exported.skipped == []
    back = import_gift(exported.content)
    assert back.rejected == []
    assert back.questions == questions


@FAST
@given(questions=st.lists(xml_questions, min_size=1, max_size=3))
def test_moodle_xml_round_trip(questions):
    exported = export_moodle_xml(questions)
    assert exported.skipped == []
    back = import_moodle_xml(exported.content)
    assert back.rejected == []
    assert back.questions == questions


@FAST
@given(question=xml_questions)
def test_json_round_trip_and_qti_never_raises(question):
    assert from_json_dict(to_json_dict(question)) == question
    items, skipped = export_qti21_items([question])
    assert len(items) + len(skipped) == 1
