"""Operate the search index.

manage.py search_index rebuild     # every document again; on Elasticsearch a new index + alias swap
manage.py search_index catchup     # send Elasticsearch the updates it missed while down
manage.py search_index status      # engine, document counts, updates waiting
"""

from __future__ import annotations

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import indexer
from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.models import SearchPending


class ProgressBar:
    """One line on a terminal redrawn in place; a line every 10 % otherwise."""

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.last = -1
        self.tty = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if not total else min(100, int(100 * done / total))
        if percent == self.last or (not self.tty and percent // 10 == self.last // 10 and percent != 100):
            return
        self.last = percent
        filled = self.width * percent // 100
        rate = done / max(time.monotonic() - self.started, 1e-6)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {done}/{total} ({rate:.0f}/s)"
        self.stream.write(("\r" + line) if self.tty else line, ending="" if self.tty else "\n")
        if self.tty and percent == 100:
            self.stream.write("")


class Command(BaseCommand):
    help = "Rebuild the search index, catch up Elasticsearch after an outage, or show the index status."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "catchup", "status"])

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(options)
        except SearchUnavailable as error:
            raise CommandError(f"Search engine unavailable: {error}") from error

    def do_rebuild(self, options):
        self.stderr.write(f"Rebuilding the search index on {settings.SEARCH_ENGINE}…")
        started = time.monotonic()
        bar = ProgressBar(self.stderr) if options["verbosity"] else None
        done = indexer.rebuild(progress=bar)
        if bar and bar.last < 0:
            bar(done, done)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {done} document(s) in {elapsed:.1f} s."))

    def do_catchup(self, options):
        sent = indexer.catch_up()
        left = SearchPending.objects.count()
        self.stdout.write(f"Sent {sent} update(s) to Elasticsearch; {left} still waiting.")
        if left:
            sys.exit(1)

    def do_status(self, options):
        self.stdout.write(f"engine: {settings.SEARCH_ENGINE} (fallback: {settings.SEARCH_FALLBACK})")
        self.stdout.write(f"database documents: {get_backend('database').count()}")
        if settings.SEARCH_ENGINE == "elasticsearch":
            self.stdout.write(f"elasticsearch documents: {get_backend('elasticsearch').count()}")
        self.stdout.write(f"updates waiting for Elasticsearch: {SearchPending.objects.count()}")
