from django.core.management.base import BaseCommand, CommandError

from lms.curriculum.loader import CurriculumDataError, load_curriculum


class Command(BaseCommand):
    help = "Load the GDPT 2018 curriculum shipped with the platform (idempotent; keeps rows added by administrators)."

    def handle(self, *args, **options):
        def progress(step: str) -> None:
            if options["verbosity"] >= 1:
                self.stderr.write(f"Loading {step}...")

        try:
            report = load_curriculum(progress=progress)
        except CurriculumDataError as exc:
            raise CommandError(f"Curriculum data error: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Curriculum loaded: {report.summary()}."))
