"""manage.py import_questions --format {gift,moodle-xml,aiken} PATH [--category ...] [--owner ...]"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from question_bank import services
from question_bank.importing import import_into_bank
from question_bank.ir import split_category_path
from question_bank.management.commands._bank_options import (
    add_curriculum_arguments,
    curriculum_filters,
    school_coded,
    user_named,
)
from question_bank.models import QuestionStatus, SharingScope


class Command(BaseCommand):
    help = (
        "Import questions from a GIFT, Moodle XML or Aiken file. Prints every question imported or rejected "
        "(with its line or element and the reason); each question is saved on its own, so a rejected one leaves "
        "nothing behind. Exits non-zero when anything was rejected (with --strict nothing is then imported)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument("--format", required=True, choices=["gift", "moodle-xml", "aiken"])
        parser.add_argument("--owner", required=True, help="username of the teacher who will own the questions")
        parser.add_argument("--school", help="school code (default: the owner's school)")
        parser.add_argument(
            "--category", default="", help="category path (A/B/C) under which the file's categories are created"
        )
        parser.add_argument("--scope", choices=SharingScope.values, default=SharingScope.SCHOOL)
        parser.add_argument("--status", choices=QuestionStatus.values, default=QuestionStatus.DRAFT)
        parser.add_argument("--strict", action="store_true", help="import nothing if any question is rejected")
        add_curriculum_arguments(parser)

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        owner = user_named(options["owner"])
        school = school_coded(options["school"])
        if school is None:
            schools = services.authoring_schools(owner)
            if not schools and not owner.is_superuser:
                raise CommandError(f"{owner.username} teaches at no school; give --school.")
            school = schools[0] if schools else None
        base = None
        if options["category"]:
            base = services.category_for_path(school, split_category_path(options["category"]))
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity and (done == total or done % 100 == 0):
                self.stderr.write(f"\r{done}/{total} questions saved", ending="\n" if done == total else "")
                self.stderr.flush()

        try:
            result = import_into_bank(
                format_name=options["format"],
                data=data,
                actor=owner,
                owner=owner,
                school=school,
                base_category=base,
                sharing_scope=options["scope"],
                status=options["status"],
                metadata=curriculum_filters(options),
                strict=options["strict"],
                progress=progress,
            )
        except PermissionDenied:
            raise CommandError(f"{owner.username} may not add questions to {school}.") from None
        for row in result.rows:
            if row.imported:
                if verbosity:
                    self.stdout.write(f"imported  {row.location}: #{row.question_id} {row.title}")
            else:
                self.stdout.write(f"REJECTED  {row.location}: {row.reason} [{row.code}]")
        summary = f"{len(result.imported)} imported, {len(result.rejected)} rejected"
        if result.file_error:
            raise CommandError(f"The file could not be read; nothing imported. {summary}.")
        if not result.ok:
            raise CommandError(summary + (" (--strict: nothing imported)" if options["strict"] else ""))
        self.stdout.write(self.style.SUCCESS(summary))
