"""Rating scales of the two assessment circulars, and the "incomplete" result.

Enum values are stable ASCII slugs (the project's slug convention: diacritics removed, đ→d, spaces→"-"), safe to
store in a CharField. `official_name` is the term exactly as the circular spells it; display labels (and their
translations) belong to the models/templates that use these enums.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Rating(StrEnum):
    """The four levels of Thông tư 22/2021 for kết quả học tập (Điều 9.2) and kết quả rèn luyện (Điều 8).

    Tốt · Khá · Đạt · Chưa đạt. Compare with `rank` (Tốt = 3 … Chưa đạt = 0), never with `<` on the string values.
    """

    GOOD = "tot"
    FAIR = "kha"
    ACHIEVED = "dat"
    NOT_ACHIEVED = "chua-dat"

    @property
    def rank(self) -> int:
        return _RATING_RANK[self]

    @property
    def official_name(self) -> str:
        return _RATING_NAMES[self]

    @classmethod
    def from_rank(cls, rank: int) -> Rating:
        """The rating of a rank, clamped to [Chưa đạt, Tốt]."""
        rank = max(0, min(3, rank))
        return next(r for r, k in _RATING_RANK.items() if k == rank)


_RATING_RANK = {Rating.GOOD: 3, Rating.FAIR: 2, Rating.ACHIEVED: 1, Rating.NOT_ACHIEVED: 0}
_RATING_NAMES = {Rating.GOOD: "Tốt", Rating.FAIR: "Khá", Rating.ACHIEVED: "Đạt", Rating.NOT_ACHIEVED: "Chưa đạt"}


class CommentResult(StrEnum):
    """Đạt / Chưa đạt: every result of a comment-only subject (môn đánh giá bằng nhận xét), TT 22 Điều 5, 6, 7, 9.1a."""

    ACHIEVED = "dat"
    NOT_ACHIEVED = "chua-dat"

    @property
    def official_name(self) -> str:
        return "Đạt" if self is CommentResult.ACHIEVED else "Chưa đạt"


class Award(StrEnum):
    """End-of-year titles of TT 22 Điều 15: "Học sinh Xuất sắc", "Học sinh Giỏi"."""

    EXCELLENT = "hoc-sinh-xuat-sac"
    GOOD = "hoc-sinh-gioi"

    @property
    def official_name(self) -> str:
        return "Học sinh Xuất sắc" if self is Award.EXCELLENT else "Học sinh Giỏi"


class PrimaryRating(StrEnum):
    """Periodic rating of a primary subject/activity (TT 27/2020 Điều 7): Hoàn thành tốt (T) · Hoàn thành (H) ·
    Chưa hoàn thành (C)."""

    COMPLETED_WELL = "hoan-thanh-tot"
    COMPLETED = "hoan-thanh"
    NOT_COMPLETED = "chua-hoan-thanh"

    @property
    def abbreviation(self) -> str:
        """The letter written in the học bạ: T, H or C."""
        return {"hoan-thanh-tot": "T", "hoan-thanh": "H", "chua-hoan-thanh": "C"}[self.value]

    @property
    def official_name(self) -> str:
        return {"hoan-thanh-tot": "Hoàn thành tốt", "hoan-thanh": "Hoàn thành", "chua-hoan-thanh": "Chưa hoàn thành"}[
            self.value
        ]


class QualityRating(StrEnum):
    """Periodic rating of a phẩm chất or năng lực of a primary pupil (TT 27/2020 Điều 7): Tốt · Đạt · Cần cố gắng."""

    GOOD = "tot"
    ACHIEVED = "dat"
    NEEDS_EFFORT = "can-co-gang"

    @property
    def official_name(self) -> str:
        return {"tot": "Tốt", "dat": "Đạt", "can-co-gang": "Cần cố gắng"}[self.value]


class PrimaryYearResult(StrEnum):
    """Year-end education result of a primary pupil (TT 27/2020 Điều 9)."""

    EXCELLENT = "hoan-thanh-xuat-sac"
    GOOD = "hoan-thanh-tot"
    COMPLETED = "hoan-thanh"
    NOT_COMPLETED = "chua-hoan-thanh"

    @property
    def official_name(self) -> str:
        return {
            "hoan-thanh-xuat-sac": "Hoàn thành xuất sắc",
            "hoan-thanh-tot": "Hoàn thành tốt",
            "hoan-thanh": "Hoàn thành",
            "chua-hoan-thanh": "Chưa hoàn thành",
        }[self.value]


class PrimaryAward(StrEnum):
    """End-of-year titles of TT 27/2020 (Điều 15 ⚠ article number)."""

    EXCELLENT = "hoc-sinh-xuat-sac"
    OUTSTANDING = "hoc-sinh-tieu-bieu"

    @property
    def official_name(self) -> str:
        if self is PrimaryAward.EXCELLENT:
            return "Học sinh Xuất sắc"
        return "Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện"


class PrimaryPeriod(StrEnum):
    """The four periodic-assessment points of TT 27/2020 (Điều 7): giữa HK I, cuối HK I, giữa HK II, cuối năm học."""

    MID_SEMESTER_1 = "giua-hoc-ki-1"
    END_SEMESTER_1 = "cuoi-hoc-ki-1"
    MID_SEMESTER_2 = "giua-hoc-ki-2"
    END_OF_YEAR = "cuoi-nam-hoc"


@dataclass(frozen=True)
class Incomplete:
    """A result that cannot be computed yet because required inputs are missing (chưa đủ điểm / chưa đủ đánh giá).

    Returned instead of a number or a level, never raised: an incomplete gradebook is a normal state during the
    semester. `missing` lists stable codes of what is missing: for a subject average "regular" (with `regular`
    holding recorded/required counts), "midterm", "final", "semester-1", "semester-2"; for a student-level result
    the subject keys (slugs) whose result is missing.
    """

    missing: tuple[str, ...]
    regular: tuple[int, int] | None = None  # (recorded, required) when regular assessments are short

    def __str__(self) -> str:
        parts = list(self.missing)
        if self.regular is not None and "regular" in parts:
            parts[parts.index("regular")] = f"regular ({self.regular[0]}/{self.regular[1]})"
        return "incomplete: " + ", ".join(parts)
