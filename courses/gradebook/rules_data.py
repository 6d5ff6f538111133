"""The assessment rules as data: thresholds, counts, weights and tables, with the circulars' values as defaults.

Every number a school might need to correct lives here, in frozen dataclasses, not in `if` branches. The defaults
follow /work/shared/reference/gdpt2018.md §5; points marked ⚠ there are unconfirmed and flagged ⚠ below too.
A school's corrections are a (partial) JSON object applied with
`courses.gradebook.policy_json.secondary_policy_from_dict` / `primary_policy_from_dict`, e.g. stored in a JSONField
of its settings.

- `SecondaryPolicy`: Thông tư 22/2021/TT-BGDĐT (THCS, THPT).
- `PrimaryPolicy`: Thông tư 27/2020/TT-BGDĐT (tiểu học).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import product

from courses.gradebook.scales import (
    PrimaryPeriod,
    PrimaryRating,
    PrimaryYearResult,
    QualityRating,
    Rating,
)

# --------------------------------------------------------------------------------------------------------------------
# Thông tư 22/2021 — THCS and THPT
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegularCountBand:
    """One row of the ĐĐGtx table: subjects with at most `max_periods` periods/year (None = no upper bound)."""

    max_periods: int | None
    count: int


@dataclass(frozen=True)
class RegularAssessmentRules:
    """Number of regular assessments (số ĐĐGtx) recorded per semester — TT 22 Điều 6.2.

    Scored subjects (Điều 6.2b): 35 tiết/năm → 2; over 35 to 70 → 3; over 70 → 4 (a subject with fewer than 35
    periods is treated like 35). Comment-only subjects: 2 per semester ⚠. THPT cụm chuyên đề học tập: its result is
    counted as one ĐĐGtx of the subject ⚠ — read here as one *of* the required ĐĐGtx (`study_topic_extra` = 0);
    a school whose Sở reads it as an additional one sets `study_topic_extra` to 1.
    """

    bands: tuple[RegularCountBand, ...] = (
        RegularCountBand(35, 2),
        RegularCountBand(70, 3),
        RegularCountBand(None, 4),
    )
    comment_only: int = 2  # ⚠
    study_topic_extra: int = 0  # ⚠

    def __post_init__(self) -> None:
        bounds = [b.max_periods for b in self.bands]
        if not bounds or bounds[-1] is not None or None in bounds[:-1]:
            raise ValueError("regular-assessment bands must end with exactly one open band (max_periods null)")
        closed = [b for b in bounds if b is not None]
        if closed != sorted(set(closed)):
            raise ValueError("regular-assessment bands must have strictly increasing max_periods")
        if any(b.count < 1 for b in self.bands) or self.comment_only < 1 or self.study_topic_extra < 0:
            raise ValueError("regular-assessment counts must be positive")


@dataclass(frozen=True)
class AverageWeights:
    """Weights of the subject averages — TT 22 Điều 9.1b.

    ĐTBmhk = (TĐĐGtx + 2 × ĐĐGgk + 3 × ĐĐGck) / (số ĐĐGtx + 5);  ĐTBmcn = (ĐTBmhkI + 2 × ĐTBmhkII) / 3.
    """

    regular: int = 1
    midterm: int = 2
    final: int = 3
    semester_1: int = 1
    semester_2: int = 2

    def __post_init__(self) -> None:
        if min(self.regular, self.midterm, self.final, self.semester_1, self.semester_2) < 1:
            raise ValueError("average weights must be positive integers")


@dataclass(frozen=True)
class LevelCriteria:
    """The conditions of one learning-result level (kết quả học tập) — TT 22 Điều 9.2.

    A student reaches `level` when: at most `max_comment_not_achieved` comment-only subjects are Chưa đạt; no scored
    subject is below `min_every_scored`; and at least `min_count` scored subjects are at or above
    `count_threshold`. The circular's three levels fit this one shape:

    - Tốt (9.2a): 0 comment subjects Chưa đạt, every scored ≥ 6,5, at least 6 scored ≥ 8,0.
    - Khá (9.2b): 0 comment subjects Chưa đạt, every scored ≥ 5,0, at least 6 scored ≥ 6,5.
    - Đạt (9.2c): at most 1 comment subject Chưa đạt, none scored < 3,5, at least 6 scored ≥ 5,0.
    - Chưa đạt (9.2d): otherwise.
    """

    level: Rating
    max_comment_not_achieved: int
    min_every_scored: Decimal
    count_threshold: Decimal
    min_count: int


class RaiseTo(StrEnum):
    """Where Điều 9.3 ("điều chỉnh lên mức liền kề") moves a level that one subject pulled down 2+ levels."""

    # The level just below the target it would have reached: would-be Tốt → Khá, would-be Khá → Đạt (default).
    LEVEL_BELOW_TARGET = "level-below-target"
    # One level above the computed level (the reading of the old TT 58/2011 Điều 13.4). Differs from the default only
    # for would-be Tốt computed as Chưa đạt: Đạt instead of Khá.
    ONE_LEVEL_UP = "one-level-up"


class SubjectFix(StrEnum):
    """What "had that one subject met the threshold" means in the Điều 9.3 check."""

    # The subject is set to the target level's count threshold (Tốt: 8,0; Khá: 6,5) and a comment subject to Đạt,
    # i.e. the subject meets every per-subject condition of the target — equivalent to its best possible result
    # (default: "the level fell only because of this one subject").
    COUNT_THRESHOLD = "count-threshold"
    # The subject is only raised to the target's floor (Tốt: 6,5; Khá: 5,0): stricter, the other subjects must already
    # supply the "at least 6 subjects ≥ …" count.
    FLOOR = "floor"


@dataclass(frozen=True)
class RaiseRule:
    """The adjustment of TT 22 Điều 9.3, as data. See `courses.gradebook.results.learning_result` for the reading."""

    enabled: bool = True
    targets: tuple[Rating, ...] = (Rating.GOOD, Rating.FAIR)
    min_drop: int = 2
    raise_to: RaiseTo = RaiseTo.LEVEL_BELOW_TARGET
    subject_fix: SubjectFix = SubjectFix.COUNT_THRESHOLD

    def __post_init__(self) -> None:
        if self.min_drop < 1:
            raise ValueError("raise_rule.min_drop must be at least 1")


def _default_levels() -> tuple[LevelCriteria, ...]:
    return (
        LevelCriteria(Rating.GOOD, 0, Decimal("6.5"), Decimal("8.0"), 6),
        LevelCriteria(Rating.FAIR, 0, Decimal("5.0"), Decimal("6.5"), 6),
        LevelCriteria(Rating.ACHIEVED, 1, Decimal("3.5"), Decimal("5.0"), 6),
    )


@dataclass(frozen=True)
class LearningResultRules:
    """Kết quả học tập levels (Điều 9.2), tried best first; a student meeting none is Chưa đạt. Plus Điều 9.3."""

    levels: tuple[LevelCriteria, ...] = field(default_factory=_default_levels)
    raise_rule: RaiseRule = field(default_factory=RaiseRule)

    def __post_init__(self) -> None:
        ranks = [c.level.rank for c in self.levels]
        if ranks != sorted(set(ranks), reverse=True) or Rating.NOT_ACHIEVED.rank in ranks:
            raise ValueError("learning-result levels must be listed best first, once each, without Chưa đạt")
        for target in self.raise_rule.targets:
            if target not in {c.level for c in self.levels}:
                raise ValueError(f"raise_rule target {target.value!r} has no level criteria")

    def criteria_for(self, level: Rating) -> LevelCriteria:
        return next(c for c in self.levels if c.level is level)


@dataclass(frozen=True)
class ConductRow:
    """One row of the year-conduct table (kết quả rèn luyện cả năm học) — TT 22 Điều 8."""

    semester_1: Rating
    semester_2: Rating
    year: Rating


def _year_conduct(semester_1: Rating, semester_2: Rating) -> Rating:
    """The table of Điều 8 in words (only used to build the default data below).

    Tốt: HK II Tốt and HK I ≥ Khá. Khá: HK II Khá and HK I ≥ Đạt; or HK II Đạt and HK I Tốt; or HK II Tốt and HK I
    Đạt/Chưa đạt. Đạt: HK II Đạt and HK I Khá/Đạt/Chưa đạt; or HK II Khá and HK I Chưa đạt. Otherwise Chưa đạt.
    """
    one, two = semester_1.rank, semester_2.rank
    good, fair, passed = Rating.GOOD.rank, Rating.FAIR.rank, Rating.ACHIEVED.rank
    if two == good:
        return Rating.GOOD if one >= fair else Rating.FAIR
    if two == fair:
        return Rating.FAIR if one >= passed else Rating.ACHIEVED
    if two == passed:
        return Rating.FAIR if one == good else Rating.ACHIEVED
    return Rating.NOT_ACHIEVED


def _default_conduct_table() -> tuple[ConductRow, ...]:
    return tuple(ConductRow(one, two, _year_conduct(one, two)) for one, two in product(Rating, Rating))


@dataclass(frozen=True)
class AwardRules:
    """End-of-year titles — TT 22 Điều 15.1.

    "Học sinh Xuất sắc": year conduct Tốt, year learning result Tốt, and at least 6 scored subjects with
    ĐTBmcn ≥ 9,0. "Học sinh Giỏi": year conduct Tốt and year learning result Tốt.
    """

    required_conduct: Rating = Rating.GOOD
    required_learning: Rating = Rating.GOOD
    excellent_min_average: Decimal = Decimal("9.0")
    excellent_min_subjects: int = 6


@dataclass(frozen=True)
class SecondaryPolicy:
    """Everything configurable of Thông tư 22/2021/TT-BGDĐT (THCS, THPT)."""

    regular: RegularAssessmentRules = field(default_factory=RegularAssessmentRules)
    weights: AverageWeights = field(default_factory=AverageWeights)
    learning: LearningResultRules = field(default_factory=LearningResultRules)
    conduct_year: tuple[ConductRow, ...] = field(default_factory=_default_conduct_table)
    awards: AwardRules = field(default_factory=AwardRules)

    def __post_init__(self) -> None:
        keys = [(row.semester_1, row.semester_2) for row in self.conduct_year]
        if sorted(keys) != sorted(product(Rating, Rating)):
            raise ValueError("conduct_year must have exactly one row for each of the 16 (semester 1, semester 2) pairs")


# --------------------------------------------------------------------------------------------------------------------
# Thông tư 27/2020 — tiểu học
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrimaryResultCriteria:
    """Conditions of one year-end result (đánh giá kết quả giáo dục cuối năm) — TT 27 Điều 9.

    Every subject/activity rating is in `subject_ratings`, every quality/competence rating in `quality_ratings`, and
    every year-end periodic test (bài kiểm tra định kì cuối năm học) scores at least `min_test_score`.
    """

    result: PrimaryYearResult
    subject_ratings: frozenset[PrimaryRating]
    quality_ratings: frozenset[QualityRating]
    min_test_score: int


def _default_primary_results() -> tuple[PrimaryResultCriteria, ...]:
    t, h = PrimaryRating.COMPLETED_WELL, PrimaryRating.COMPLETED
    good, passed = QualityRating.GOOD, QualityRating.ACHIEVED
    return (
        PrimaryResultCriteria(PrimaryYearResult.EXCELLENT, frozenset({t}), frozenset({good}), 9),
        PrimaryResultCriteria(PrimaryYearResult.GOOD, frozenset({t}), frozenset({good}), 7),
        PrimaryResultCriteria(PrimaryYearResult.COMPLETED, frozenset({t, h}), frozenset({good, passed}), 5),
    )


@dataclass(frozen=True)
class PeriodicTestRule:
    """Which subjects have a bài kiểm tra định kì, in which grades, at which points — TT 27 Điều 7."""

    subjects: tuple[str, ...]
    grades: tuple[int, ...]
    periods: tuple[PrimaryPeriod, ...]


def _default_periodic_tests() -> tuple[PeriodicTestRule, ...]:
    return (
        # End of semester I and end of year: Tiếng Việt, Toán, Ngoại ngữ 1, Lịch sử và Địa lí, Khoa học, Tin học và
        # Công nghệ (in the grades where the pupil takes them).
        PeriodicTestRule(
            subjects=("tieng-viet", "toan", "ngoai-ngu-1", "lich-su-va-dia-li", "khoa-hoc", "tin-hoc-va-cong-nghe"),
            grades=(1, 2, 3, 4, 5),
            periods=(PrimaryPeriod.END_SEMESTER_1, PrimaryPeriod.END_OF_YEAR),
        ),
        # Grades 4-5 add mid-semester I and mid-semester II tests in Tiếng Việt and Toán.
        PeriodicTestRule(
            subjects=("tieng-viet", "toan"),
            grades=(4, 5),
            periods=(PrimaryPeriod.MID_SEMESTER_1, PrimaryPeriod.MID_SEMESTER_2),
        ),
    )


# The phẩm chất chủ yếu and năng lực cốt lõi rated for each pupil (CT tổng thể; Học bạ of TT 27) ⚠ (list as in the
# usual học bạ template; check against the school's form). (slug, official name)
PRIMARY_QUALITIES: tuple[tuple[str, str], ...] = (
    ("yeu-nuoc", "Yêu nước"),
    ("nhan-ai", "Nhân ái"),
    ("cham-chi", "Chăm chỉ"),
    ("trung-thuc", "Trung thực"),
    ("trach-nhiem", "Trách nhiệm"),
)
PRIMARY_COMPETENCES: tuple[tuple[str, str], ...] = (
    ("tu-chu-va-tu-hoc", "Tự chủ và tự học"),
    ("giao-tiep-va-hop-tac", "Giao tiếp và hợp tác"),
    ("giai-quyet-van-de-va-sang-tao", "Giải quyết vấn đề và sáng tạo"),
    ("ngon-ngu", "Ngôn ngữ"),
    ("tinh-toan", "Tính toán"),
    ("khoa-hoc", "Khoa học"),
    ("cong-nghe", "Công nghệ"),
    ("tin-hoc", "Tin học"),
    ("tham-mi", "Thẩm mĩ"),
    ("the-chat", "Thể chất"),
)


@dataclass(frozen=True)
class PrimaryPolicy:
    """Everything configurable of Thông tư 27/2020/TT-BGDĐT (tiểu học)."""

    year_results: tuple[PrimaryResultCriteria, ...] = field(default_factory=_default_primary_results)
    periodic_tests: tuple[PeriodicTestRule, ...] = field(default_factory=_default_periodic_tests)

    def __post_init__(self) -> None:
        results = [c.result for c in self.year_results]
        if PrimaryYearResult.NOT_COMPLETED in results or len(set(results)) != len(results):
            raise ValueError("year_results must list each result once, best first, without Chưa hoàn thành")


DEFAULT_SECONDARY_POLICY = SecondaryPolicy()
DEFAULT_PRIMARY_POLICY = PrimaryPolicy()
