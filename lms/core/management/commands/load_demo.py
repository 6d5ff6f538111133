from django.core.management.base import BaseCommand, CommandError

from lms.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo organisations, schools, classes and accounts (idempotent)."

    def handle(self, *args, **options):
        try:
            load_demo(say=lambda step: self.stderr.write(f"Loading demo {step}..."))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo account's password is {DEMO_PASSWORD}"))
