"""Subject results of Thông tư 22/2021 (THCS, THPT): ĐĐGtx counts, subject averages, comment-only subjects.

- `regular_assessment_count` — số ĐĐGtx per semester (Điều 6.2).
- `semester_average` — ĐTBmhk (Điều 9.1b); `year_average` — ĐTBmcn (Điều 9.1b).
- `comment_semester_result` / `comment_year_result` — Đạt / Chưa đạt of a comment-only subject (Điều 9.1a).

Averages are Decimals rounded once, half up, to one decimal (see `courses.gradebook.scores`). A missing required
score gives `Incomplete`, never a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from courses.gradebook.rules_data import DEFAULT_SECONDARY_POLICY, SecondaryPolicy
from courses.gradebook.scales import CommentResult, Incomplete
from courses.gradebook.scores import validate_score, weighted_mean


def regular_assessment_count(
    periods_per_year: int,
    *,
    comment_only: bool = False,
    has_study_topics: bool = False,
    policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY,
) -> int:
    """Số ĐĐGtx (regular assessments recorded) per semester — TT 22 Điều 6.2.

    Scored subjects (6.2b): 35 periods/year → 2; over 35 up to 70 → 3; over 70 → 4. Comment-only subjects: 2 ⚠.
    `has_study_topics` (THPT cụm chuyên đề học tập) adds `policy.regular.study_topic_extra` (0 by default ⚠).
    Agrees with `lms.curriculum.models.regular_assessment_count` for the default policy.
    """
    if periods_per_year < 1:
        raise ValueError("periods_per_year must be positive")
    rules = policy.regular
    if comment_only:
        count = rules.comment_only
    else:
        count = next(b.count for b in rules.bands if b.max_periods is None or periods_per_year <= b.max_periods)
    return count + (rules.study_topic_extra if has_study_topics else 0)


@dataclass(frozen=True)
class SemesterScores:
    """The scores of one scored subject in one semester (điểm đánh giá của một môn trong một học kì).

    `regular`: the ĐĐGtx recorded so far; `midterm`: ĐĐGgk (giữa kì); `final`: ĐĐGck (cuối kì). None = not yet.
    """

    regular: Sequence[Decimal] = ()
    midterm: Decimal | None = None
    final: Decimal | None = None


def semester_average(
    scores: SemesterScores, required_regular: int, *, policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY
) -> Decimal | Incomplete:
    """ĐTBmhk — TT 22 Điều 9.1b: (TĐĐGtx + 2 × ĐĐGgk + 3 × ĐĐGck) / (số ĐĐGtx + 5), one decimal, half up.

    `required_regular` is the subject's số ĐĐGtx (`regular_assessment_count`). Fewer regular scores, or a missing
    ĐĐGgk/ĐĐGck → `Incomplete` (a student who missed a test takes a make-up, kiểm tra bù; a test not made up is
    recorded by the teacher as 0 — it is not filled in here). More regular scores than required is an error: the
    circular has the teacher *choose* that many ĐĐGtx for the record, so the divisor is fixed.
    Every score is checked with `validate_score` (ScoreError if invalid).
    """
    if required_regular < 1:
        raise ValueError("required_regular must be positive")
    regular = [validate_score(s) for s in scores.regular]
    if len(regular) > required_regular:
        raise ValueError(f"{len(regular)} regular scores recorded, the subject has {required_regular} per semester")
    missing: list[str] = []
    if len(regular) < required_regular:
        missing.append("regular")
    if scores.midterm is None:
        missing.append("midterm")
    if scores.final is None:
        missing.append("final")
    midterm, final = scores.midterm, scores.final
    if missing or midterm is None or final is None:
        shortfall = (len(regular), required_regular) if "regular" in missing else None
        return Incomplete(tuple(missing), regular=shortfall)
    w = policy.weights
    total = w.regular * sum(regular, Decimal(0))
    total += w.midterm * validate_score(midterm) + w.final * validate_score(final)
    return weighted_mean(total, w.regular * required_regular + w.midterm + w.final)


def year_average(
    semester_1: Decimal | Incomplete | None,
    semester_2: Decimal | Incomplete | None,
    *,
    policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY,
) -> Decimal | Incomplete:
    """ĐTBmcn — TT 22 Điều 9.1b: (ĐTBmhkI + 2 × ĐTBmhkII) / 3, one decimal, half up.

    Takes the semester averages as recorded (already rounded to one decimal). Either one missing → `Incomplete`.
    (With divisor 3 and one-decimal inputs the exact result is never on a …5 boundary.)
    """
    if not isinstance(semester_1, Decimal) or not isinstance(semester_2, Decimal):
        missing = [
            name
            for name, value in (("semester-1", semester_1), ("semester-2", semester_2))
            if not isinstance(value, Decimal)
        ]
        return Incomplete(tuple(missing))
    w = policy.weights
    total = w.semester_1 * validate_score(semester_1) + w.semester_2 * validate_score(semester_2)
    return weighted_mean(total, w.semester_1 + w.semester_2)


@dataclass(frozen=True)
class CommentAssessments:
    """The Đạt / Chưa đạt ratings of one comment-only subject in one semester (môn đánh giá bằng nhận xét).

    `regular`: the regular ratings recorded so far; `midterm`, `final`: giữa kì and cuối kì. None = not yet.
    """

    regular: Sequence[CommentResult] = ()
    midterm: CommentResult | None = None
    final: CommentResult | None = None


def comment_semester_result(
    assessments: CommentAssessments,
    *,
    required_regular: int | None = None,
    closing: bool = False,
    policy: SecondaryPolicy = DEFAULT_SECONDARY_POLICY,
) -> CommentResult | Incomplete:
    """Semester result of a comment-only subject — TT 22 Điều 9.1a.

    Đạt: all required assessments done (the regular ones, giữa kì, cuối kì) and every one of them Đạt. Chưa đạt:
    otherwise. While the semester is open (`closing=False`) missing ratings give `Incomplete` — the gradebook is just
    not finished; once it is closed (`closing=True`) the circular's literal rule applies and missing ratings make the
    result Chưa đạt. A Chưa đạt already recorded gives Chưa đạt at once, since no later rating can change it.
    `required_regular` defaults to the policy's comment-only count (2 ⚠).
    """
    required = policy.regular.comment_only if required_regular is None else required_regular
    if len(assessments.regular) > required:
        raise ValueError(f"{len(assessments.regular)} regular ratings recorded, the subject has {required}")
    recorded = [*assessments.regular, assessments.midterm, assessments.final]
    if CommentResult.NOT_ACHIEVED in recorded:
        return CommentResult.NOT_ACHIEVED
    missing: list[str] = []
    if len(assessments.regular) < required:
        missing.append("regular")
    if assessments.midterm is None:
        missing.append("midterm")
    if assessments.final is None:
        missing.append("final")
    if not missing:
        return CommentResult.ACHIEVED
    if closing:
        return CommentResult.NOT_ACHIEVED
    shortfall = (len(assessments.regular), required) if "regular" in missing else None
    return Incomplete(tuple(missing), regular=shortfall)


def comment_year_result(semester_2: CommentResult | Incomplete | None) -> CommentResult | Incomplete:
    """Year result of a comment-only subject — TT 22 Điều 9.1a: the semester-II result (semester I does not count)."""
    if semester_2 is None or isinstance(semester_2, Incomplete):
        return Incomplete(("semester-2",))
    return semester_2
