"""Hand back transcode jobs whose worker died and remove abandoned uploads; run at worker start and from cron."""

from django.core.management.base import BaseCommand

from media_pipeline.jobs import recover_stale_jobs
from media_pipeline.uploads import expire_uploads


class Command(BaseCommand):
    help = "Retry (or fail) transcode jobs left running by a worker that stopped sending heartbeats."

    def handle(self, *args, **options):
        recovered = recover_stale_jobs()
        if recovered:
            self.stdout.write(f"Handed back {len(recovered)} stale job(s): {', '.join(map(str, recovered))}")
        elif options["verbosity"] > 1:
            self.stdout.write("No stale transcode jobs.")
        expired = expire_uploads()
        if expired:
            self.stdout.write(f"Removed {expired} abandoned upload(s).")
