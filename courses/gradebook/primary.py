"""Primary-school rules of Thông tư 27/2020/TT-BGDĐT (tiểu học).

Regular assessment is by comments only. At the four periodic points (`PrimaryPeriod`) each subject/activity is rated
T/H/C (`PrimaryRating`) and each phẩm chất/năng lực Tốt/Đạt/Cần cố gắng (`QualityRating`); some subjects also sit a
periodic test scored 0–10 without decimals (`courses.gradebook.scores.parse_test_score`).

- `primary_periodic_tests` — which periodic tests a subject has in a grade (Điều 7).
- `primary_year_result` — Hoàn thành xuất sắc / Hoàn thành tốt / Hoàn thành / Chưa hoàn thành (Điều 9).
- `primary_award` — "Học sinh Xuất sắc" / "Học sinh Tiêu biểu…" (Điều 15 ⚠).
"""

from __future__ import annotations

from collections.abc import Mapping

from courses.gradebook.rules_data import DEFAULT_PRIMARY_POLICY, PrimaryPolicy
from courses.gradebook.scales import (
    Incomplete,
    PrimaryAward,
    PrimaryPeriod,
    PrimaryRating,
    PrimaryYearResult,
    QualityRating,
)
from courses.gradebook.scores import parse_test_score


def primary_periodic_tests(
    subject: str, grade: int, *, policy: PrimaryPolicy = DEFAULT_PRIMARY_POLICY
) -> tuple[PrimaryPeriod, ...]:
    """The periodic points at which `subject` (curriculum slug) has a bài kiểm tra định kì in `grade` — TT 27 Điều 7.

    End of semester I and end of year: Tiếng Việt, Toán, Ngoại ngữ 1, Lịch sử và Địa lí, Khoa học, Tin học và
    Công nghệ; grades 4 and 5 add mid-semester I and mid-semester II tests in Tiếng Việt and Toán. Whether the pupil
    takes the subject in that grade at all is the curriculum's business (e.g. Ngoại ngữ 1 is optional in grades 1–2).
    Returned in calendar order.
    """
    periods = {
        period
        for rule in policy.periodic_tests
        if subject in rule.subjects and grade in rule.grades
        for period in rule.periods
    }
    return tuple(p for p in PrimaryPeriod if p in periods)


def primary_year_result(
    subjects: Mapping[str, PrimaryRating | None],
    qualities: Mapping[str, QualityRating | None],
    year_end_tests: Mapping[str, int | None],
    *,
    policy: PrimaryPolicy = DEFAULT_PRIMARY_POLICY,
) -> PrimaryYearResult | Incomplete:
    """Year-end education result (đánh giá kết quả giáo dục cuối năm học) — TT 27 Điều 9.

    `subjects`: end-of-year rating of every subject and educational activity the pupil takes; `qualities`:
    end-of-year rating of every phẩm chất and năng lực; `year_end_tests`: the end-of-year periodic test score of each
    subject that has one (see `primary_periodic_tests`). A None anywhere → `Incomplete` listing the keys (subject
    keys, quality keys, and "test:<subject>").

    Defaults (data, `policy.year_results`, tried best first):
    Hoàn thành xuất sắc — every subject T, every quality/competence Tốt, every year-end test ≥ 9;
    Hoàn thành tốt — not the above, every subject T, every quality/competence Tốt, every year-end test ≥ 7;
    Hoàn thành — not the above, every subject T or H, every quality/competence Tốt or Đạt, every year-end test ≥ 5;
    Chưa hoàn thành — otherwise.
    """
    if not subjects or not qualities:
        raise ValueError("a year-end result needs the subject ratings and the quality/competence ratings")
    missing = [k for k, v in subjects.items() if v is None]
    missing += [k for k, v in qualities.items() if v is None]
    missing += [f"test:{k}" for k, v in year_end_tests.items() if v is None]
    if missing:
        return Incomplete(tuple(missing))
    subject_ratings = {PrimaryRating(v) for v in subjects.values() if v is not None}
    quality_ratings = {QualityRating(v) for v in qualities.values() if v is not None}
    scores = [parse_test_score(v) for v in year_end_tests.values() if v is not None]
    for criteria in policy.year_results:
        if (
            subject_ratings <= criteria.subject_ratings
            and quality_ratings <= criteria.quality_ratings
            and all(s >= criteria.min_test_score for s in scores)
        ):
            return criteria.result
    return PrimaryYearResult.NOT_COMPLETED


def primary_award(result: PrimaryYearResult, *, outstanding: bool = False) -> PrimaryAward | None:
    """End-of-year title — TT 27 Điều 15 ⚠ (article number not checked).

    "Học sinh Xuất sắc": result Hoàn thành xuất sắc. "Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện":
    result Hoàn thành tốt *and* outstanding in at least one subject or clear progress in at least one quality or
    competence, recognised by the class — a human decision passed in as `outstanding`.
    """
    if result is PrimaryYearResult.EXCELLENT:
        return PrimaryAward.EXCELLENT
    if result is PrimaryYearResult.GOOD and outstanding:
        return PrimaryAward.OUTSTANDING
    return None
