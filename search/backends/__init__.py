"""The engines behind one interface (search.backends.base), chosen by settings.SEARCH_ENGINE."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import SearchBackend

ENGINES = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_ENGINE
    try:
        return import_string(ENGINES[name])()
    except KeyError:
        raise LookupError(f"Unknown search engine {name!r}; one of {', '.join(ENGINES)}.") from None
