"""What views, commands and other apps use: search and suggest for a user, with the fallback.

    results = search_for(user, "toan lop 6 phan so", filters={"grade": ["6"]})

With ``SEARCH_ENGINE=elasticsearch`` and Elasticsearch down, ``SEARCH_FALLBACK="database"``
answers from the database engine (``results.fallback`` is true); ``"error"`` raises
``SearchUnavailable``, which the page shows as a clear message. Either way it is logged.
"""

from __future__ import annotations

import logging

from django.conf import settings

from search.backends import get_backend
from search.backends.base import SearchQuery, SearchResults, SearchUnavailable, Suggestion
from search.documents import FACETS
from search.visibility import Audience

logger = logging.getLogger(__name__)

__all__ = ["SearchQuery", "SearchResults", "SearchUnavailable", "Suggestion", "search", "search_for", "suggest"]


def _with_fallback(call):
    engine = settings.SEARCH_ENGINE
    try:
        return call(get_backend(engine)), False
    except SearchUnavailable as error:
        if engine == "database" or settings.SEARCH_FALLBACK != "database":
            logger.error("Search unavailable: %s", error)
            raise
        logger.error("Search unavailable, answering from the database engine: %s", error)
        return call(get_backend("database")), True


def search(query: SearchQuery) -> SearchResults:
    results, fallback = _with_fallback(lambda backend: backend.search(query))
    results.fallback = fallback
    return results


def search_for(
    user,
    text: str = "",
    *,
    filters: dict | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facets: tuple[str, ...] = FACETS,
) -> SearchResults:
    query = SearchQuery(
        text=text,
        filters={k: tuple(v) for k, v in (filters or {}).items()},
        sort=sort,
        page=page,
        per_page=per_page,
        facets=facets,
        audience=Audience.for_user(user),
    )
    return search(query)


def suggest(user, prefix: str, limit: int = 8) -> list[Suggestion]:
    audience = Audience.for_user(user)
    suggestions, _fallback = _with_fallback(lambda backend: backend.suggest(prefix, audience, limit))
    return suggestions
