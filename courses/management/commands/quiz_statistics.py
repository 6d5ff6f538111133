"""Recompute the question bank's statistics (facility, discrimination) from finished quiz attempts."""

from django.core.management.base import BaseCommand, CommandError

from courses.models.quiz import Quiz
from courses.statistics import update_statistics, versions_of_quiz


class Command(BaseCommand):
    help = "Recompute per-question statistics in the question bank from finished quiz attempts."

    def add_arguments(self, parser):
        parser.add_argument("--quiz", type=int, help="Only the question versions used in this quiz (its id).")

    def handle(self, *args, quiz=None, **options):
        ids = None
        if quiz is not None:
            found = Quiz.objects.filter(pk=quiz).first()
            if found is None:
                raise CommandError(f"No quiz with id {quiz}.")
            ids = versions_of_quiz(found)
        count = update_statistics(ids)
        self.stdout.write(f"Updated the statistics of {count} question version(s).")
