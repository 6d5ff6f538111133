"""The Elasticsearch engine, through the client's DSL (elasticsearch.dsl).

Texts arrive folded by our layer, so the index needs no language plug-in nor even the
analysis-common module: the built-in ``standard`` analyser on four fields: ``title_exact``/``title_folded``
and ``all_exact``/``all_folded`` (title, summary, keywords and body together). A query must
match every word on ``all_folded`` (one typo allowed in words of four letters or more:
``fuzziness=AUTO:4,64``); matches on the title and on the exact forms only add to the score.
``title_folded`` indexes prefixes (``index_prefixes``) for suggestions. Only core features
are used (the project's test server runs without the optional modules). Facets are ``terms``
aggregations on keyword fields under ``facets``; visibility is a filter, so aggregations and
totals never count what the user may not see.

Search goes through an alias; a rebuild fills a new index and swaps the alias in one call.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from elasticsearch import Elasticsearch, helpers
from elasticsearch import exceptions as es_exceptions
from elasticsearch.dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Long,
    Object,
    Q,
    Search,
    Text,
)

from search.backends.base import (
    ProgressCallback,
    SearchBackend,
    SearchQuery,
    SearchResults,
    SearchUnavailable,
    Suggestion,
    make_hit,
    order_facets,
)
from search.documents import FACETS, FILTERS, PUBLISHED, SearchDoc
from search.folding import parse_query
from search.visibility import Audience

logger = logging.getLogger(__name__)

FUZZINESS = "AUTO:4,64"  # the rule of search.folding.typo_allowance
# One typo, never on the first letter, and at most this many indexed words tried per typed word:
# the default 50 made a typo'd query the slowest of the mix.
MAX_EXPANSIONS = 10
FACET_SIZE = 30  # the page lists 24 values per facet; selected ones are always added
# Only what results show is kept in _source; the analysed copies are indexed, not stored.
NOT_STORED = ["title_exact", "title_folded", "all_exact", "all_folded"]
plain = "standard"
ERRORS = (es_exceptions.ConnectionError, es_exceptions.ConnectionTimeout, es_exceptions.TransportError)
SOURCE = [
    "key",
    "doc_type",
    "object_id",
    "title",
    "url",
    "summary",
    "body",
    "labels",
    "status",
    "published_at",
    "popularity",
]


class IndexedDoc(Document):
    key = Keyword()
    doc_type = Keyword()
    object_id = Long()
    title = Keyword(index=False)
    url = Keyword(index=False)
    summary = Text(index=False)
    body = Text(index=False)
    labels = Object(enabled=False)
    title_exact = Text(analyzer=plain, index_prefixes={"min_chars": 1, "max_chars": 10})
    title_folded = Text(analyzer=plain, index_prefixes={"min_chars": 1, "max_chars": 10})
    all_exact = Text(analyzer=plain)
    all_folded = Text(analyzer=plain)
    # Global ordinals built at refresh, not by the first aggregation after it.
    facets = Object(properties={name: Keyword(eager_global_ordinals=name in FACETS) for name in FILTERS})
    status = Keyword()
    owner_id = Long()
    audience = Keyword()
    school_id = Long()
    published_at = Date()
    updated_at = Date()
    popularity = Integer()

    @classmethod
    def action(cls, d: SearchDoc) -> dict:
        """A bulk action for the index (or alias) ``helpers.bulk`` is given."""
        return {"_id": d.key, "_source": cls.from_doc(d).to_dict()}

    @classmethod
    def from_doc(cls, d: SearchDoc) -> IndexedDoc:
        return cls(
            key=d.key,
            doc_type=d.doc_type,
            object_id=d.object_id,
            title=d.title,
            url=d.url,
            summary=d.summary,
            body=d.body,
            labels=d.labels,
            title_exact=d.title_exact(),
            title_folded=d.title_folded(),
            all_exact=f"{d.title_exact()} {d.text_exact()}",
            all_folded=f"{d.title_folded()} {d.text_folded()}",
            facets={k: list(v) for k, v in d.facets.items() if k in FILTERS},
            status=d.status,
            owner_id=d.owner_id,
            audience=d.audience,
            school_id=d.school_id,
            published_at=d.published_at,
            updated_at=d.updated_at,
            popularity=d.popularity,
        )


# Between rebuilds, changes show within this; each refresh empties the caches, so not every second.
REFRESH_INTERVAL = "5s"

_clients: dict[str, Elasticsearch] = {}
_aliases_seen: set[str] = set()  # aliases known to exist: no round trip before each query


def client() -> Elasticsearch:
    url = settings.ELASTICSEARCH_URL
    if not url:
        raise SearchUnavailable("ELASTICSEARCH_URL is not set.")
    if url not in _clients:
        timeout = getattr(settings, "SEARCH_ELASTICSEARCH_TIMEOUT", 5)
        _clients[url] = Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)
    return _clients[url]


def visibility_filter(audience: Audience) -> Q:
    published = Q("term", status=PUBLISHED)
    if not audience.everything_published:
        published &= Q("terms", audience=list(audience.paths))
    condition = published
    if audience.user_id is not None:
        condition |= Q("term", owner_id=audience.user_id)
    return condition


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, **options):
        self.alias = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-search"
        self.refresh = getattr(settings, "SEARCH_ELASTICSEARCH_REFRESH", False)

    # --- Index management ----------------------------------------------------------------------

    def _new_index(self, refresh_interval: str = REFRESH_INTERVAL) -> str:
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        # The mapping is copied from the Document class; Index.document() would bind the class
        # to this one index name for good. One shard: 100,000 materials are a few hundred MB,
        # and one shard answers without merging per-shard results.
        client().indices.create(
            index=name,
            settings={"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": refresh_interval},
            mappings={**IndexedDoc._doc_type.mapping.to_dict(), "_source": {"excludes": NOT_STORED}},
        )
        return name

    def _ensure_alias(self) -> None:
        key = f"{settings.ELASTICSEARCH_URL} {self.alias}"
        if key in _aliases_seen:
            return
        es = client()
        if not es.indices.exists_alias(name=self.alias):
            name = self._new_index()
            es.indices.put_alias(index=name, name=self.alias)
        _aliases_seen.add(key)

    def _forget_alias(self) -> None:
        _aliases_seen.discard(f"{settings.ELASTICSEARCH_URL} {self.alias}")

    def _call(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ERRORS as error:
            raise SearchUnavailable(f"Elasticsearch at {settings.ELASTICSEARCH_URL} failed: {error}") from error

    def check(self) -> None:
        self._call(lambda: client().cluster.health(timeout="5s"))

    def refresh_now(self) -> None:
        self._call(lambda: client().indices.refresh(index=self.alias))

    # --- Writing -------------------------------------------------------------------------------

    def _bulk(self, index: str, actions: Iterable[dict], refresh=False) -> int:
        ok, errors = helpers.bulk(client(), actions, index=index, chunk_size=500, raise_on_error=False, refresh=refresh)
        bad = [e for e in errors if next(iter(e.values())).get("status") != 404]
        if bad:
            raise SearchUnavailable(f"Elasticsearch refused {len(bad)} document(s): {bad[:3]}")
        return ok

    def index(self, docs: Iterable[SearchDoc]) -> None:
        actions = [IndexedDoc.action(d) for d in docs]
        if actions:
            self._call(self._ensure_alias)
            self._call(self._bulk, self.alias, actions, self.refresh)

    def delete(self, keys: Iterable[str]) -> None:
        actions = [{"_op_type": "delete", "_id": key} for key in keys]
        if actions:
            self._call(self._ensure_alias)
            self._call(self._bulk, self.alias, actions, self.refresh)

    def rebuild(self, batches, total, progress: ProgressCallback | None = None) -> int:
        return self._call(self._rebuild, batches, total, progress)

    def _rebuild(self, batches, total, progress) -> int:
        es = client()
        name = self._new_index(refresh_interval="-1")  # no refreshes while it fills
        done = 0
        try:
            for batch in batches:
                self._bulk(name, (IndexedDoc.action(d) for d in batch))
                done += len(batch)
                if progress:
                    progress(done, total)
            es.indices.put_settings(index=name, settings={"refresh_interval": REFRESH_INTERVAL})
            es.indices.refresh(index=name)
        except Exception:
            es.indices.delete(index=name, ignore_unavailable=True)
            raise
        old = list(es.indices.get_alias(name=self.alias)) if es.indices.exists_alias(name=self.alias) else []
        if es.indices.exists(index=self.alias) and not es.indices.exists_alias(name=self.alias):
            es.indices.delete(index=self.alias)  # a concrete index squatting the alias name
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        es.indices.update_aliases(actions=[*actions, {"add": {"index": name, "alias": self.alias}}])
        for o in old:
            es.indices.delete(index=o, ignore_unavailable=True)
        return done

    def drop(self) -> None:
        """Delete the alias and every index of this prefix (tests, benchmarks)."""
        self._forget_alias()
        self._call(lambda: client().indices.delete(index=f"{self.alias}*", ignore_unavailable=True))

    def count(self) -> int:
        self._call(self._ensure_alias)
        return self._call(lambda: client().count(index=self.alias)["count"])

    # --- Reading -------------------------------------------------------------------------------

    def build_search(self, query: SearchQuery) -> Search:
        parsed = query.parsed
        s = Search(using=client(), index=self.alias).filter(visibility_filter(query.audience))
        for name, values in sorted(query.filters.items()):
            s = s.filter("terms", **{f"facets.{name}": list(values)})
        if not parsed.is_empty:
            must, should = [], []
            if parsed.words:
                folded = " ".join(f for _e, f in parsed.words)
                exact = " ".join(e for e, _f in parsed.words)
                must.append(
                    Q(
                        "match",
                        all_folded={
                            "query": folded,
                            "operator": "and",
                            "fuzziness": FUZZINESS,
                            "prefix_length": 1,
                            "max_expansions": MAX_EXPANSIONS,
                        },
                    )
                )
                should += [
                    Q("match", title_folded={"query": folded, "operator": "and", "boost": 3}),
                    Q("match", title_exact={"query": exact, "boost": 4}),
                    Q("match", all_exact={"query": exact, "boost": 2}),
                    Q("match_phrase", title_folded={"query": folded, "boost": 2}),
                ]
            for phrase in parsed.phrases:
                folded = " ".join(f for _e, f in phrase)
                must.append(Q("match_phrase", all_folded=folded))
                should.append(Q("match_phrase", title_folded={"query": folded, "boost": 3}))
            s = s.query(Q("bool", must=must, should=should))
        sort = query.effective_sort
        newest = [{"published_at": {"order": "desc", "missing": "_last"}}, {"object_id": "desc"}]
        if sort == "relevance":
            s = s.sort("_score", *newest)
        elif sort == "popular":
            s = s.sort({"popularity": "desc"}, *newest)
        else:
            s = s.sort(*newest)
        for name in query.facets:
            s.aggs.bucket(name, "terms", field=f"facets.{name}", size=FACET_SIZE)
        s = s.source(SOURCE).extra(track_total_hits=True)
        return s[query.offset : query.offset + query.per_page]

    def search(self, query: SearchQuery) -> SearchResults:
        self._call(self._ensure_alias)
        body = self.build_search(query).to_dict()
        # The plain client and dicts: the DSL's response wrappers cost more than the query on
        # a small page (measured in benchmarks/search_engines.py).
        response = self._call(self._search_body, body)
        parsed = query.parsed
        hits = []
        for h in response["hits"]["hits"]:
            row = {f: h["_source"].get(f) for f in SOURCE}
            published = row["published_at"]
            hits.append(
                make_hit(
                    parsed=parsed,
                    score=h.get("_score"),
                    **{
                        **row,
                        "labels": row["labels"] or {},
                        "summary": row["summary"] or "",
                        "body": row["body"] or "",
                        "url": row["url"] or "",
                        "published_at": datetime.fromisoformat(published) if published else None,
                    },
                )
            )
        aggs = response.get("aggregations") or {}
        counts = {
            name: {b["key"]: b["doc_count"] for b in aggs[name]["buckets"]} for name in query.facets if name in aggs
        }
        return SearchResults(
            query=query,
            hits=hits,
            total=response["hits"]["total"]["value"],
            facets=order_facets(query, counts),
            engine=self.name,
        )

    def _search_body(self, body: dict) -> dict:
        try:
            return client().search(index=self.alias, body=body).body
        except es_exceptions.NotFoundError:
            # The alias went away (dropped by hand or by another process): make it again.
            self._forget_alias()
            self._ensure_alias()
            return client().search(index=self.alias, body=body).body

    def suggest(self, prefix: str, audience: Audience, limit: int = 8) -> list[Suggestion]:
        parsed = parse_query(prefix.replace('"', " "))
        if parsed.is_empty:
            return []
        folded = " ".join(f for _e, f in parsed.words)
        exact = " ".join(e for e, _f in parsed.words)
        s = (
            Search(using=client(), index=self.alias)
            .filter(visibility_filter(audience))
            .query(
                Q(
                    "bool",
                    must=[Q("match_bool_prefix", title_folded={"query": folded, "operator": "and"})],
                    should=[Q("match_bool_prefix", title_exact={"query": exact, "boost": 2})],
                )
            )
            .sort("_score", {"popularity": "desc"}, {"object_id": "desc"})
            .source(["title", "url", "doc_type"])
        )[:limit]
        self._call(self._ensure_alias)
        response = self._call(s.execute)
        return [Suggestion(title=h.title, url=h.url or "", doc_type=h.doc_type) for h in response.hits]
