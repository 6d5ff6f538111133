"""manage.py export_questions --format {gift,moodle-xml,qti21} --out PATH [filters]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from question_bank.access import questions_visible_to
from question_bank.importing import export_from_bank
from question_bank.ir import split_category_path
from question_bank.management.commands._bank_options import (
    add_curriculum_arguments,
    curriculum_filters,
    school_coded,
    user_named,
)
from question_bank.models import Question, QuestionCategory, QuestionStatus
from question_bank.services import equivalent_levels


class Command(BaseCommand):
    help = (
        "Export questions (their current versions, with categories, tags and ID numbers) to GIFT, Moodle XML "
        "or an IMS QTI 2.1 package. With --as, only the questions that user may see."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=["gift", "moodle-xml", "qti21"])
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--as", dest="as_user", help="export only what this user may see")
        parser.add_argument("--school", help="school code")
        parser.add_argument("--category", help="category path A/B (with its sub-categories)")
        parser.add_argument("--status", choices=QuestionStatus.values)
        parser.add_argument("--tag", action="append", default=[], help="a tag (repeatable; all must match)")
        parser.add_argument("--type", dest="qtype", help="question type key, e.g. single_choice")
        add_curriculum_arguments(parser)

    def handle(self, *args, **options):
        user = user_named(options["as_user"])
        questions = questions_visible_to(user) if user else Question.objects.all()
        school = school_coded(options["school"])
        if school:
            questions = questions.filter(school=school)
        if options["category"]:
            names = split_category_path(options["category"])
            roots = QuestionCategory.get_root_nodes().filter(name=names[0])
            if school:
                roots = roots.filter(school=school)
            matches = [c for c in (_walk(root, names[1:]) for root in roots) if c is not None]
            if not matches:
                raise CommandError(f"No category {options['category']!r}.")
            ids = {d.pk for c in matches for d in QuestionCategory.get_tree(c)}
            questions = questions.filter(category_id__in=ids)
        if options["status"]:
            questions = questions.filter(status=options["status"])
        for tag in options["tag"]:
            questions = questions.filter(tags__name=tag)
        if options["qtype"]:
            questions = questions.filter(current_version__qtype=options["qtype"])
        found = curriculum_filters(options)
        level = found.pop("level", None)
        if level is not None:
            questions = questions.filter(level_id__in=equivalent_levels(level))
        questions = questions.filter(**found).exclude(current_version=None)
        questions = questions.select_related("current_version", "category").prefetch_related("tags").order_by("pk")
        result = export_from_bank(options["format"], questions)
        for skipped in result.skipped:
            self.stderr.write(f"SKIPPED  question {skipped.line_or_element}: {skipped.reason}")
        for warning in result.warnings:
            self.stderr.write(f"warning  question {warning.line_or_element}: {warning.reason}")
        content = result.content.encode() if isinstance(result.content, str) else result.content
        try:
            Path(options["out"]).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['out']}: {exc.strerror}") from None
        count = questions.count() - len(result.skipped)
        self.stdout.write(self.style.SUCCESS(f"{count} questions written to {options['out']}"))


def _walk(node: QuestionCategory, names) -> QuestionCategory | None:
    for name in names:
        node = node.get_children().filter(name=name).first()
        if node is None:
            return None
    return node
