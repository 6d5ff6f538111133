"""System checks: the database engine needs SQLite with FTS5 or PostgreSQL."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import connection


@register(Tags.database, Tags.compatibility)
def database_engine_check(app_configs=None, **kwargs):
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        return [
            Error(
                f"The search app's database engine supports SQLite and PostgreSQL, not {vendor}.",
                hint="Use PostgreSQL, or set SEARCH_ENGINE=elasticsearch with SEARCH_FALLBACK=error.",
                id="search.E001",
            )
        ]
    if vendor == "sqlite":
        import sqlite3

        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        except sqlite3.OperationalError:
            return [
                Error(
                    "This Python's SQLite has no FTS5: the embedded search engine cannot work.",
                    hint="Install a Python built against SQLite with FTS5 (any recent distribution's).",
                    id="search.E002",
                )
            ]
    return []
