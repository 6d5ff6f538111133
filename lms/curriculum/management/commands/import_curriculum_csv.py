from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.curriculum import csv_import


class Command(BaseCommand):
    help = "Add topics, sub-topics and required outcomes from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        result = csv_import.parse(data)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"{path}:{error.line}: {error.message}")
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        if dry_run:
            self.stdout.write(f"{len(result.rows)} row(s) are valid; nothing written (--dry-run).")
            return
        csv_import.apply(result)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.topics_created} topic(s) created, {result.topics_updated} updated; "
                f"{result.outcomes_created} outcome(s) created, {result.outcomes_updated} updated."
            )
        )
