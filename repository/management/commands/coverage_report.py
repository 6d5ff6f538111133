from django.core.management.base import BaseCommand, CommandError

from repository.coverage import UnknownScope, coverage, parse_scope, to_csv, to_table


class Command(BaseCommand):
    help = (
        "Share of GDPT 2018 topics and required outcomes covered by approved materials available to a unit, "
        "per grade and subject."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scope", default="national", help="national, province:<code> or school:<code>")
        parser.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args, scope: str, format: str, **options):
        try:
            unit = parse_scope(scope)
        except UnknownScope as exc:
            raise CommandError(str(exc)) from exc
        rows = coverage(unit)
        self.stdout.write(to_csv(rows) if format == "csv" else to_table(rows))
