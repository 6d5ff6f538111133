"""The blueprint ("ma trận đề") as plain data: rows × (item format, cognitive level) → cells.

A :class:`Blueprint` holds

* ``rows``: topics or outcomes (chủ đề / nội dung), each with an id, a label, an optional
  ``group`` (the chủ đề a nội dung belongs to) and, per level, the requirement text
  (yêu cầu cần đạt) that the specification table (bản đặc tả) writes out;
* ``levels``: the cognitive levels in the scheme the school uses (data, e.g. Biết / Hiểu /
  Vận dụng of Công văn 7991, or NB / TH / VD / VDC);
* ``formats``: the item formats of the 2024 template, in paper order (part I multiple choice,
  II Đúng–Sai, III short answer, IV essay);
* ``cells``: ``(row id, level code, format) → Cell(count, points)``. ``count`` is a number of
  *items* (questions drawn from the bank); a Đúng–Sai item carries ``statements_per_item``
  statements (4) and the matrix shows statements for it, as the template counts them.
  ``points`` are the points of the whole cell, shared equally by its items.

Nothing here raises on bad numbers: a cell keeps whatever it was given and
:mod:`question_bank.blueprint.checks` reports every problem cell by cell. Totals skip cells
whose numbers are not valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from question_bank.ir import dec_str, nfc, to_decimal
from question_bank.qtypes.choice import EXAM_2025_TRUE_FALSE_SCORING

MC = "mc"
TF = "tf"
SHORT = "short"
ESSAY = "essay"

FORMATS: tuple[str, ...] = (MC, TF, SHORT, ESSAY)
"""Item formats of the 2024 template, in the order of the paper's parts."""

PART_NUMERALS: Mapping[str, str] = {MC: "I", TF: "II", SHORT: "III", ESSAY: "IV"}

FORMAT_OF_QTYPE: Mapping[str, str] = {
    "single_choice": MC,
    "multiple_choice": MC,
    "true_false_group": TF,
    "short_answer": SHORT,
    "numeric": SHORT,
    "short_numeric_2025": SHORT,
    "essay": ESSAY,
}
"""The 2024-template format of each question type that can sit on a paper."""

STATEMENTS_PER_TF_ITEM = 4


@dataclass(frozen=True)
class Level:
    """A cognitive level of the blueprint's scheme: stable ``code`` and the label printed."""

    code: str
    label: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", nfc(str(self.code)))
        object.__setattr__(self, "label", nfc(str(self.label)))


LEVELS_CV7991: tuple[Level, ...] = (Level("biet", "Biết"), Level("hieu", "Hiểu"), Level("van-dung", "Vận dụng"))
"""Công văn 7991/BGDĐT-GDTrH (2024 template); codes as in :mod:`question_bank.levels`."""

LEVELS_FOUR: tuple[Level, ...] = (
    Level("nb", "Nhận biết"),
    Level("th", "Thông hiểu"),
    Level("vd", "Vận dụng"),
    Level("vdc", "Vận dụng cao"),
)
"""The customary four levels (scheme ``bon-muc``)."""


@dataclass(frozen=True)
class Row:
    """A topic or outcome row: ``requirements`` maps a level code to the YCCĐ text for that level."""

    id: str
    label: str
    group: str = ""
    requirements: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", nfc(str(self.id)))
        object.__setattr__(self, "label", nfc(str(self.label)))
        object.__setattr__(self, "group", nfc(str(self.group)))
        object.__setattr__(self, "requirements", {nfc(str(k)): nfc(str(v)) for k, v in self.requirements.items()})


@dataclass(frozen=True)
class Cell:
    """Number of items and total points of one cell. Values are kept as given (see :func:`count_of`)."""

    count: Any = 0
    points: Any = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _decimal_or_raw(self.points))


def _decimal_or_raw(value: Any) -> Any:
    """A Decimal for a number or numeric text; anything else unchanged (the checks report it)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    try:
        return to_decimal(value)
    except ValueError:
        return value


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros or exponent (4.50 → 4.5, 10.00 → 10) for printing."""
    return Decimal(dec_str(value))


def count_of(cell: Cell) -> int | None:
    """The cell's item count if it is a whole number ≥ 0, else None."""
    value = cell.count
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def points_of(cell: Cell) -> Decimal | None:
    """The cell's points if they are a finite number ≥ 0, else None."""
    value = cell.points
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        return None
    return value


CellKey = tuple[str, str, str]
"""(row id, level code, format)."""


@dataclass(frozen=True)
class Total:
    """Items, counted units (Đúng–Sai statements count 4 per item) and points."""

    items: int = 0
    units: int = 0
    points: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", tidy(self.points))

    def __add__(self, other: Total) -> Total:
        return Total(self.items + other.items, self.units + other.units, self.points + other.points)


@dataclass(frozen=True)
class Blueprint:
    """A test matrix. See the module docstring."""

    rows: tuple[Row, ...]
    levels: tuple[Level, ...] = LEVELS_CV7991
    formats: tuple[str, ...] = (MC, TF, SHORT)
    cells: Mapping[CellKey, Cell] = field(default_factory=dict)
    total_points: Decimal = Decimal(10)
    title: str = ""
    subject: str = ""
    grade: str = ""
    duration_minutes: int | None = None
    statements_per_tf_item: int = STATEMENTS_PER_TF_ITEM
    tf_scoring: tuple[str, ...] = EXAM_2025_TRUE_FALSE_SCORING

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "levels", tuple(self.levels))
        object.__setattr__(self, "formats", tuple(f for f in FORMATS if f in set(self.formats)))
        object.__setattr__(self, "cells", {tuple(k): v for k, v in self.cells.items()})
        object.__setattr__(self, "total_points", _decimal_or_raw(self.total_points))
        object.__setattr__(self, "title", nfc(self.title))
        object.__setattr__(self, "subject", nfc(self.subject))
        object.__setattr__(self, "grade", nfc(str(self.grade)))
        object.__setattr__(self, "tf_scoring", tuple(str(v) for v in self.tf_scoring))

    # --- structure -------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """(format, level code) in the order of the template: by format, then by level."""
        return tuple((f, lv.code) for f in self.formats for lv in self.levels)

    def row(self, row_id: str) -> Row | None:
        return next((r for r in self.rows if r.id == row_id), None)

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def cell(self, row_id: str, level: str, fmt: str) -> Cell:
        """The cell (an empty one when absent)."""
        return self.cells.get((row_id, level, fmt), Cell())

    def active_cells(self) -> list[tuple[CellKey, int, Decimal]]:
        """(key, count, points) of the cells with a valid count > 0, in paper order (format, row, level)."""
        out = []
        for fmt in self.formats:
            for row in self.rows:
                for lv in self.levels:
                    key = (row.id, lv.code, fmt)
                    if key not in self.cells:
                        continue
                    count, points = count_of(self.cells[key]), points_of(self.cells[key])
                    if count and points is not None:
                        out.append((key, count, points))
        return out

    # --- totals ----------------------------------------------------------------------------

    def units_per_item(self, fmt: str) -> int:
        """How many counted units one item is: the statements of a Đúng–Sai item, else 1."""
        return self.statements_per_tf_item if fmt == TF else 1

    def total_of(self, keys: Iterable[CellKey]) -> Total:
        total = Total()
        for key in keys:
            cell = self.cells.get(key)
            if cell is None:
                continue
            count, points = count_of(cell), points_of(cell)
            if count is None or points is None:
                continue
            total += Total(count, count * self.units_per_item(key[2]), points)
        return total

    def row_total(self, row_id: str) -> Total:
        return self.total_of((row_id, lv, f) for f, lv in self.columns)

    def column_total(self, fmt: str, level: str) -> Total:
        return self.total_of((r.id, level, fmt) for r in self.rows)

    def format_total(self, fmt: str) -> Total:
        return self.total_of((r.id, lv.code, fmt) for r in self.rows for lv in self.levels)

    def level_total(self, level: str) -> Total:
        return self.total_of((r.id, level, f) for r in self.rows for f in self.formats)

    def grand_total(self) -> Total:
        return self.total_of((r.id, lv, f) for r in self.rows for f, lv in self.columns)

    def item_points(self, key: CellKey) -> Decimal | None:
        """Points of each item of a cell (cell points / count), or None if not computable."""
        cell = self.cells.get(key)
        if cell is None:
            return None
        count, points = count_of(cell), points_of(cell)
        if not count or points is None:
            return None
        return tidy(points / count)

    # --- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (decimals as canonical strings); :func:`blueprint_from_dict` reads it back."""

        def num(value: Any) -> Any:
            return dec_str(value) if isinstance(value, Decimal) and value.is_finite() else value

        return {
            "title": self.title,
            "subject": self.subject,
            "grade": self.grade,
            "duration_minutes": self.duration_minutes,
            "total_points": num(self.total_points),
            "statements_per_tf_item": self.statements_per_tf_item,
            "tf_scoring": list(self.tf_scoring),
            "levels": [{"code": lv.code, "label": lv.label} for lv in self.levels],
            "formats": list(self.formats),
            "rows": [
                {"id": r.id, "label": r.label, "group": r.group, "requirements": dict(r.requirements)}
                for r in self.rows
            ],
            "cells": [
                {"row": k[0], "level": k[1], "format": k[2], "count": c.count, "points": num(c.points)}
                for k, c in self.cells.items()
            ],
        }


def blueprint_from_dict(data: Mapping[str, Any]) -> Blueprint:
    """Read :meth:`Blueprint.to_dict` output (as stored in a JSON column or sent by a form).

    Missing keys take their defaults and cell numbers are kept as given, so a half-filled or
    wrong matrix still loads and :func:`~question_bank.blueprint.checks.check_blueprint` reports
    what is wrong, cell by cell. Only a value that is not a mapping at all raises ``TypeError``.
    """
    if not isinstance(data, Mapping):
        raise TypeError("a blueprint is read from a mapping")

    def items(key: str) -> list[Mapping[str, Any]]:
        value = data.get(key) or ()
        return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list | tuple) else []

    levels = tuple(Level(lv.get("code", ""), lv.get("label", lv.get("code", ""))) for lv in items("levels"))
    formats = data.get("formats") or (MC, TF, SHORT)
    scoring = data.get("tf_scoring") or EXAM_2025_TRUE_FALSE_SCORING
    statements = data.get("statements_per_tf_item", STATEMENTS_PER_TF_ITEM)
    return Blueprint(
        rows=tuple(
            Row(
                r.get("id", ""),
                r.get("label", ""),
                r.get("group", ""),
                r.get("requirements") if isinstance(r.get("requirements"), Mapping) else {},
            )
            for r in items("rows")
        ),
        levels=levels or LEVELS_CV7991,
        formats=tuple(str(f) for f in formats) if isinstance(formats, list | tuple) else (MC, TF, SHORT),
        cells={
            (str(c.get("row", "")), str(c.get("level", "")), str(c.get("format", ""))): Cell(
                c.get("count", 0), c.get("points", 0)
            )
            for c in items("cells")
        },
        total_points=data.get("total_points", 10),
        title=str(data.get("title") or ""),
        subject=str(data.get("subject") or ""),
        grade=str(data.get("grade") or ""),
        duration_minutes=data.get("duration_minutes"),
        statements_per_tf_item=statements if isinstance(statements, int) and not isinstance(statements, bool) else 0,
        tf_scoring=tuple(scoring) if isinstance(scoring, list | tuple) else (),
    )
