"""Options shared by import_questions and export_questions: who, which school, which curriculum."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from lms.curriculum.models import Grade, Subject, Topic
from lms.orgs.models import Organisation
from question_bank.models import CognitiveLevel


def user_named(username: str | None):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user named {username!r}.") from None


def school_coded(code: str | None) -> Organisation | None:
    if not code:
        return None
    try:
        return Organisation.objects.get(code=code)
    except Organisation.DoesNotExist:
        raise CommandError(f"No organisation with code {code!r}.") from None


def curriculum_filters(options) -> dict:
    """--subject SLUG, --grade N, --topic CODE, --level SCHEME:CODE as model instances."""
    found = {}
    try:
        if options.get("subject"):
            found["subject"] = Subject.objects.get(slug=options["subject"])
        if options.get("grade"):
            found["grade"] = Grade.objects.get(number=options["grade"])
        if options.get("topic"):
            found["topic"] = Topic.objects.get(code=options["topic"])
        if options.get("level"):
            scheme, _sep, code = options["level"].partition(":")
            found["level"] = CognitiveLevel.objects.get(scheme__slug=scheme, code=code)
    except (Subject.DoesNotExist, Grade.DoesNotExist, Topic.DoesNotExist, CognitiveLevel.DoesNotExist) as exc:
        raise CommandError(f"Unknown curriculum value: {exc}") from None
    return found


def add_curriculum_arguments(parser) -> None:
    parser.add_argument("--subject", help="subject slug, e.g. toan")
    parser.add_argument("--grade", type=int, help="grade number 1-12")
    parser.add_argument("--topic", help="topic code")
    parser.add_argument("--level", help="cognitive level as SCHEME:CODE, e.g. bon-muc:nb or cv7991:hieu")
