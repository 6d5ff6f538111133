"""Gradebook rules of the Vietnamese circulars, in pure Python (no database, no Django).

- Thông tư 22/2021/TT-BGDĐT (THCS, THPT): `regular_assessment_count`, `semester_average` (ĐTBmhk), `year_average`
  (ĐTBmcn), `comment_semester_result` / `comment_year_result`, `learning_result` (kết quả học tập, Điều 9.2–9.3),
  `year_conduct` (kết quả rèn luyện, Điều 8), `award` (Điều 15).
- Thông tư 27/2020/TT-BGDĐT (tiểu học): `primary_periodic_tests`, `primary_year_result`, `primary_award`.
- Score entry: `parse_score` (0–10, one decimal, "8,5" accepted), `parse_test_score` (0–10 integers), `ScoreError`.

All scores are `Decimal`; averages are rounded once, half up, to one decimal (`round_score`). Missing inputs give an
`Incomplete` value rather than a number. Thresholds, counts, weights and tables are data (`rules_data`), correctable
per school through `policy_json`.
"""

from courses.gradebook.averages import (
    CommentAssessments,
    SemesterScores,
    comment_semester_result,
    comment_year_result,
    regular_assessment_count,
    semester_average,
    year_average,
)
from courses.gradebook.policy_json import policy_to_dict, primary_policy_from_dict, secondary_policy_from_dict
from courses.gradebook.primary import primary_award, primary_periodic_tests, primary_year_result
from courses.gradebook.results import LearningResult, SubjectOutcome, award, learning_result, year_conduct
from courses.gradebook.rules_data import (
    DEFAULT_PRIMARY_POLICY,
    DEFAULT_SECONDARY_POLICY,
    PRIMARY_COMPETENCES,
    PRIMARY_QUALITIES,
    PrimaryPolicy,
    SecondaryPolicy,
)
from courses.gradebook.scales import (
    Award,
    CommentResult,
    Incomplete,
    PrimaryAward,
    PrimaryPeriod,
    PrimaryRating,
    PrimaryYearResult,
    QualityRating,
    Rating,
)
from courses.gradebook.scores import (
    ScoreError,
    ScoreErrorCode,
    format_score,
    parse_score,
    parse_test_score,
    round_score,
    validate_score,
)

__all__ = [
    "DEFAULT_PRIMARY_POLICY",
    "DEFAULT_SECONDARY_POLICY",
    "PRIMARY_COMPETENCES",
    "PRIMARY_QUALITIES",
    "Award",
    "CommentAssessments",
    "CommentResult",
    "Incomplete",
    "LearningResult",
    "PrimaryAward",
    "PrimaryPeriod",
    "PrimaryPolicy",
    "PrimaryRating",
    "PrimaryYearResult",
    "QualityRating",
    "Rating",
    "ScoreError",
    "ScoreErrorCode",
    "SecondaryPolicy",
    "SemesterScores",
    "SubjectOutcome",
    "award",
    "comment_semester_result",
    "comment_year_result",
    "format_score",
    "learning_result",
    "parse_score",
    "parse_test_score",
    "policy_to_dict",
    "primary_award",
    "primary_periodic_tests",
    "primary_policy_from_dict",
    "primary_year_result",
    "regular_assessment_count",
    "round_score",
    "secondary_policy_from_dict",
    "semester_average",
    "validate_score",
    "year_average",
    "year_conduct",
]
