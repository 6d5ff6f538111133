"""Student-level results of Thông tư 22/2021 (THCS, THPT): learning result, year conduct, awards.

- `learning_result` — kết quả học tập of a semester or the year, Tốt/Khá/Đạt/Chưa đạt (Điều 9.2) with the adjustment
  of Điều 9.3.
- `year_conduct` — kết quả rèn luyện cả năm học from the two semesters (Điều 8).
- `award` — "Học sinh Xuất sắc" / "Học sinh Giỏi" (Điều 15.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from courses.gradebook.rules_data import (
    DEFAULT_SECONDARY_POLICY,
    LearningResultRules,
    LevelCriteria,
    RaiseTo,
    SecondaryPolicy,
    SubjectFix,
)
from courses.gradebook.scales import Award, CommentResult, Incomplete, Rating
from courses.gradebook.scores import validate_score

SubjectOutcome = Decimal | CommentResult
"""One subject's result for the period: its average (ĐTBmhk or ĐTBmcn) if scored, Đạt/Chưa đạt if comment-only."""


@dataclass(frozen=True)
class LearningResult:
    """Kết quả học tập of one student for one semester or the year.

    `level` is the level to record; `computed_level` the level of Điều 9.2 before the Điều 9.3 adjustment;
    `adjusted_for` the subject (key of the input mapping) that triggered the adjustment, or None.
    """

    level: Rating
    computed_level: Rating
    adjusted_for: str | None = None

    @property
    def adjusted(self) -> bool:
        return self.level is not self.computed_level


def _meets(criteria: LevelCriteria, outcomes: Iterable[SubjectOutcome]) -> bool:
    """Whether a set of subject results satisfies one level's conditions of Điều 9.2 (see `LevelCriteria`)."""
    comment_not_achieved = 0
    at_or_above = 0
    for outcome in outcomes:
        if isinstance(outcome, CommentResult):
            comment_not_achieved += outcome is CommentResult.NOT_ACHIEVED
            continue
        if outcome < criteria.min_every_scored:
            return False
        at_or_above += outcome >= criteria.count_threshold
    return comment_not_achieved <= criteria.max_comment_not_achieved and at_or_above >= criteria.min_count


def classify(outcomes: Mapping[str, SubjectOutcome], rules: LearningResultRules) -> Rating:
    """The level of Điều 9.2 alone (no adjustment): the best level whose conditions are all met, else Chưa đạt."""
    for criteria in rules.levels:
        if _meets(criteria, outcomes.values()):
            return criteria.level
    return Rating.NOT_ACHIEVED


def _fixed(outcome: SubjectOutcome, target: LevelCriteria, fix: SubjectFix) -> SubjectOutcome:
    """The subject's result had it "met the threshold" of the target level (Điều 9.3 counterfactual)."""
    if isinstance(outcome, CommentResult):
        return CommentResult.ACHIEVED
    threshold = target.count_threshold if fix is SubjectFix.COUNT_THRESHOLD else target.min_every_scored
    return max(outcome, threshold)


def _adjust(outcomes: Mapping[str, SubjectOutcome], computed: Rating, rules: LearningResultRules) -> LearningResult:
    raise_rule = rules.raise_rule
    if raise_rule.enabled:
        for target in raise_rule.targets:  # best target first: a would-be Tốt wins over a would-be Khá
            if target.rank - computed.rank < raise_rule.min_drop:
                continue
            criteria = rules.criteria_for(target)
            for subject in sorted(outcomes):
                changed = {**outcomes, subject: _fixed(outcomes[subject], criteria, raise_rule.subject_fix)}
                if classify(changed, rules).rank >= target.rank:
                    if raise_rule.raise_to is RaiseTo.LEVEL_BELOW_TARGET:
                        level = Rating.from_rank(target.rank - 1)
                    else:
                        level = Rating.from_rank(computed.rank + 1)
                    return LearningResult(level=level, computed_level=computed, adjusted_for=subject)
    return LearningResult(level=computed, computed_level=computed)


def learning_result(
    outcomes: Mapping[str, SubjectOutcome | Incomplete | None],
    *,
    policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY,
) -> LearningResult | Incomplete:
    """Kết quả học tập for a semester (pass ĐTBmhk and semester comment results) or the year (ĐTBmcn and year
    comment results) — TT 22 Điều 9.2 and 9.3.

    `outcomes` maps each subject the student studies (any key, e.g. the subject slug) to its result; leave out
    subjects the student is exempt from. A subject whose result is None or `Incomplete` makes the whole result
    `Incomplete` (listing those subjects).

    Điều 9.2 (thresholds are data, `policy.learning.levels`): Tốt — every comment subject Đạt, every scored
    subject ≥ 6,5 and at least 6 of them ≥ 8,0; Khá — every comment subject Đạt, every scored subject ≥ 5,0 and at
    least 6 ≥ 6,5; Đạt — at most 1 comment subject Chưa đạt, at least 6 scored subjects ≥ 5,0 and none < 3,5;
    otherwise Chưa đạt.

    Điều 9.3, reading implemented ("if the level falls 2 or more levels below the level of point a [Tốt] or point b
    [Khá] only because of the result of a single subject, it is adjusted up to the adjacent level"):

    1. compute the level of Điều 9.2;
    2. for the target Tốt, then Khá: if the computed level is at least 2 levels below the target, check each subject
       on its own — replace *only that subject's* result by one that meets the target's conditions (comment subject
       → Đạt; scored subject → at least the target's count threshold: 8,0 for Tốt, 6,5 for Khá, which is as good as
       any higher score for the level) and recompute; if the student then reaches the target, the fall is due to
       that one subject;
    3. the level is then raised to the level just below the target ("mức liền kề"): would-be Tốt → Khá (from Đạt or
       Chưa đạt), would-be Khá → Đạt (from Chưa đạt). The first target that applies wins.

    Example: all scored subjects ≥ 8,0 but Mĩ thuật Chưa đạt → computed Đạt, would be Tốt → Khá. Two subjects
    pulling the level down never trigger it (fixing one of them is not enough). Both ambiguous points are data:
    `RaiseRule.raise_to` (ONE_LEVEL_UP reads "liền kề" as one above the computed level, so would-be Tốt computed
    Chưa đạt → Đạt) and `RaiseRule.subject_fix` (FLOOR only lifts the subject to the target's floor 6,5 / 5,0).
    """
    if not outcomes:
        raise ValueError("a learning result needs at least one subject")
    missing = tuple(sorted(k for k, v in outcomes.items() if v is None or isinstance(v, Incomplete)))
    if missing:
        return Incomplete(missing)
    complete: dict[str, SubjectOutcome] = {}
    for subject, outcome in outcomes.items():
        if isinstance(outcome, CommentResult):
            complete[subject] = outcome
        elif isinstance(outcome, Decimal):
            complete[subject] = validate_score(outcome)
        else:
            raise TypeError(f"subject {subject!r}: expected Decimal or CommentResult, got {type(outcome).__name__}")
    rules = policy.learning
    return _adjust(complete, classify(complete, rules), rules)


def year_conduct(
    semester_1: Rating, semester_2: Rating, *, policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY
) -> Rating:
    """Kết quả rèn luyện cả năm học — TT 22 Điều 8, looked up in `policy.conduct_year` (16 rows).

    Tốt: HK II Tốt and HK I Tốt/Khá. Khá: HK II Khá and HK I Tốt/Khá/Đạt; HK II Đạt and HK I Tốt; HK II Tốt and
    HK I Đạt/Chưa đạt. Đạt: HK II Đạt and HK I Khá/Đạt/Chưa đạt; HK II Khá and HK I Chưa đạt. Otherwise (HK II
    Chưa đạt) Chưa đạt.
    """
    for row in policy.conduct_year:
        if row.semester_1 is semester_1 and row.semester_2 is semester_2:
            return row.year
    raise ValueError(f"no conduct row for ({semester_1!r}, {semester_2!r})")  # pragma: no cover - policy validates


def award(
    conduct: Rating,
    learning: Rating,
    year_averages: Iterable[Decimal],
    *,
    policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY,
) -> Award | None:
    """End-of-year title — TT 22 Điều 15.1.

    `conduct` and `learning` are the year results (after Điều 9.3 and after any summer re-assessment);
    `year_averages` the ĐTBmcn of the scored subjects. "Học sinh Xuất sắc": conduct Tốt, learning Tốt and at least 6
    scored subjects with ĐTBmcn ≥ 9,0. "Học sinh Giỏi": conduct Tốt and learning Tốt. Xuất sắc takes precedence.
    Titles for outstanding achievements (thành tích đột xuất) are decided by people, not here.
    """
    rules = policy.awards
    if conduct.rank < rules.required_conduct.rank or learning.rank < rules.required_learning.rank:
        return None
    high = sum(1 for a in year_averages if validate_score(a) >= rules.excellent_min_average)
    return Award.EXCELLENT if high >= rules.excellent_min_subjects else Award.GOOD
