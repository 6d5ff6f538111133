from django.core.management.base import BaseCommand

from repository.services import setup_library


class Command(BaseCommand):
    help = "Create the library root, each school's authoring area and the default appraisal workflows (idempotent)."

    def handle(self, *args, **options):
        root = setup_library()
        self.stdout.write(self.style.SUCCESS(f"Library ready at {root.url_path}"))
