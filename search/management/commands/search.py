"""Search as an operator: what would this query show (to everyone, or to one user)?

manage.py search "toan lop 6 phan so" --grade 6 --subject toan --kind lessonpage
manage.py search "phan so" --as gv --sort newest
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags

from lms.accounts.models import User
from search.backends.base import SORTS, SearchUnavailable
from search.services import search_for


class Command(BaseCommand):
    help = "Print search results for a query, with optional filters, as a user would see them."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--grade", action="append", default=[], help="grade number (repeatable)")
        parser.add_argument("--subject", action="append", default=[], help="subject slug (repeatable)")
        parser.add_argument("--kind", action="append", default=[], help="material kind, e.g. lessonpage")
        parser.add_argument("--type", action="append", default=[], help="document type: material, question")
        parser.add_argument("--sort", choices=SORTS, default="relevance")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--as", dest="username", help="search as this user (default: anonymous, public only)")

    def handle(self, *args, query, username=None, **options):
        user = None
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}.")
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        filters = {name: options[name] for name in ("grade", "subject", "kind", "type") if options[name]}
        try:
            results = search_for(user, query, filters=filters, sort=options["sort"], per_page=options["limit"])
        except SearchUnavailable as error:
            raise CommandError(f"Search engine unavailable: {error}") from error
        note = " (Elasticsearch down: answered by the database)" if results.fallback else ""
        self.stdout.write(f"{results.total} result(s) on {results.engine}{note}")
        for n, hit in enumerate(results.hits, 1):
            labels = " · ".join(v for v in (hit.labels.get("subject"), hit.labels.get("grades")) if v)
            score = f" [{hit.score:.3f}]" if hit.score is not None else ""
            self.stdout.write(f"{n:3d}. {hit.title}{score}  ({hit.doc_type}, {labels})  {hit.url}")
            snippet = strip_tags(hit.snippet_html)
            if snippet:
                self.stdout.write(f"     {snippet[:160]}")
        for name, values in results.facets.items():
            if values:
                self.stdout.write(f"{name}: " + ", ".join(f"{v.value} ({v.count})" for v in values[:12]))
