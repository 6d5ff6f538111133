"""The one search interface every engine implements, and the values it takes and returns.

An engine indexes ``SearchDoc`` values and answers a ``SearchQuery`` with ``SearchResults``:

* text: every word must match, on its folded form (an exact-accent match ranks higher); words
  of four letters or more tolerate one typo; "quoted words" must appear in that order;
* filters: OR within a facet, AND across facets; the user's audience is always applied first,
  so hits, totals, facet counts and highlights only ever come from visible documents;
* facets: counts per value over the filtered results;
* sort: relevance, newest (published), popular (most used);
* pagination by page number; highlights made by our layer (``search.folding.highlight``).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from search.documents import FACETS, SearchDoc
from search.folding import ParsedQuery, highlight, parse_query, word_set
from search.visibility import Audience

SORTS = ("relevance", "newest", "popular")
MAX_PER_PAGE = 50
MAX_PAGE = 200


class SearchUnavailable(Exception):
    """The engine cannot answer (Elasticsearch down): shown as a clear message, logged in English."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: tuple[str, ...] = FACETS
    audience: Audience = field(default_factory=Audience)

    def __post_init__(self):
        if self.sort not in SORTS:
            raise ValueError(f"Unknown sort {self.sort!r}; one of {', '.join(SORTS)}.")
        object.__setattr__(self, "page", max(1, min(int(self.page), MAX_PAGE)))
        object.__setattr__(self, "per_page", max(1, min(int(self.per_page), MAX_PER_PAGE)))
        cleaned = {k: tuple(str(v) for v in vs if str(v)) for k, vs in self.filters.items()}
        object.__setattr__(self, "filters", {k: vs for k, vs in cleaned.items() if vs})

    @property
    def parsed(self) -> ParsedQuery:
        return parse_query(self.text)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def effective_sort(self) -> str:
        """Relevance without words means nothing: newest first then."""
        return "newest" if self.sort == "relevance" and self.parsed.is_empty else self.sort


@dataclass
class Hit:
    key: str
    doc_type: str
    object_id: int
    title: str
    url: str
    title_html: str
    snippet_html: str
    labels: dict[str, str]
    status: str
    published_at: datetime | None
    popularity: int
    score: float | None = None


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    engine: str
    fallback: bool = False  # answered by the database because Elasticsearch was down

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


@dataclass
class Suggestion:
    title: str
    url: str
    doc_type: str


def make_hit(
    *,
    key: str,
    doc_type: str,
    object_id: int,
    title: str,
    url: str,
    summary: str,
    body: str,
    labels: dict,
    status: str,
    published_at,
    popularity: int,
    parsed: ParsedQuery,
    score: float | None = None,
) -> Hit:
    terms = parsed.folded_terms()
    source = summary
    if terms and body and not (word_set(summary) & terms):
        source = body if (word_set(body[:5000]) & terms) else summary or body
    return Hit(
        key=key,
        doc_type=doc_type,
        object_id=object_id,
        title=title,
        url=url,
        title_html=highlight(title, terms, length=500),
        snippet_html=highlight(source or body, terms),
        labels=labels or {},
        status=status,
        published_at=published_at,
        popularity=popularity,
        score=score,
    )


def order_facets(query: SearchQuery, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    """Facet values by count (then value), selected values always listed."""
    out = {}
    for name in query.facets:
        values = dict(counts.get(name, {}))
        for chosen in query.filters.get(name, ()):
            values.setdefault(chosen, 0)
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], _natural(kv[0])))
        out[name] = [FacetValue(v, n, v in query.filters.get(name, ())) for v, n in ordered]
    return out


def _natural(value: str):
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


ProgressCallback = Callable[[int, int], None]


class SearchBackend(ABC):
    name = ""

    @abstractmethod
    def index(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace documents (by key)."""

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> None:
        """Remove documents by key; unknown keys are ignored."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults: ...

    @abstractmethod
    def suggest(self, prefix: str, audience: Audience, limit: int = 8) -> list[Suggestion]:
        """Titles starting with the words typed (the last one may be incomplete)."""

    @abstractmethod
    def rebuild(self, batches: Iterable[list[SearchDoc]], total: int, progress: ProgressCallback | None = None) -> int:
        """Replace the whole index with these documents; search keeps answering meanwhile."""

    @abstractmethod
    def count(self) -> int: ...

    def check(self) -> None:  # noqa: B027 - engines without a server have nothing to check
        """Raise SearchUnavailable when the engine cannot be reached."""
