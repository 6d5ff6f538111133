"""Blueprint test papers ("ma trận đề"): matrix, checks, variant generation, specification table.

Pure Python over plain data (no database): a thin adapter feeds approved question versions in
as :class:`Candidate` items. See ``docs/blueprint.md``.

Usage::

    from question_bank.blueprint import Blueprint, Cell, Row, generate

    result = generate(blueprint, candidates, variants=4, seed=2025)
    if not result.ok:
        for finding in result.report.errors: ...   # cell by cell
    for paper in result.papers: ...                 # paper.code == "101", "102", …
"""

from question_bank.blueprint.checks import ERROR, WARNING, Finding, Report, check_blueprint
from question_bank.blueprint.generate import (
    Generation,
    GenerationSettings,
    Paper,
    PaperItem,
    cell_usage,
    generate,
    paper_from_dict,
)
from question_bank.blueprint.matrix import (
    ESSAY,
    FORMATS,
    LEVELS_CV7991,
    LEVELS_FOUR,
    MC,
    PART_NUMERALS,
    SHORT,
    TF,
    Blueprint,
    Cell,
    Level,
    Row,
    Total,
    blueprint_from_dict,
)
from question_bank.blueprint.pool import Candidate, candidate_from_question
from question_bank.blueprint.spec import KeyEntry, Specification, SpecLine, answer_key, key_text, specification

__all__ = [
    "ERROR",
    "ESSAY",
    "FORMATS",
    "LEVELS_CV7991",
    "LEVELS_FOUR",
    "MC",
    "PART_NUMERALS",
    "SHORT",
    "TF",
    "WARNING",
    "Blueprint",
    "Candidate",
    "Cell",
    "Finding",
    "Generation",
    "GenerationSettings",
    "KeyEntry",
    "Level",
    "Paper",
    "PaperItem",
    "Report",
    "Row",
    "SpecLine",
    "Specification",
    "Total",
    "answer_key",
    "blueprint_from_dict",
    "candidate_from_question",
    "cell_usage",
    "check_blueprint",
    "generate",
    "key_text",
    "paper_from_dict",
    "specification",
]
