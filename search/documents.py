"""Search documents and the registry of document types.

A *document type* turns one kind of object (a material, a question) into a ``SearchDoc``:
the texts to match, the facet values, and the fields visibility is decided on. Engines only
ever see ``SearchDoc`` values, never models, so adding questions (or anything else) is one
module registering a ``DocumentType``:

    @register
    class QuestionDocuments(DocumentType):
        name = "question"
        def ids(self): ...            # every id to index on a rebuild, in batches
        def build(self, ids): ...     # {id: SearchDoc} for those that should be in the index
        def object_for(self, instance): ...  # the id to reindex when a model instance changes

**Visibility contract.** A document is shown to a user when either

* ``status == "published"`` and ``audience`` is ``""`` (everyone) or the path of an
  organisation at or above one of the user's memberships, or
* ``owner_id`` is the user's id (their own drafts and private items).

``audience=None`` means "only the owner". A type that needs another rule encodes it in these
fields; the engines never ask the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from search.folding import exact, fold

PUBLISHED = "published"
DRAFT = "draft"

# Facets every engine counts, in display order. Values are strings (ids, numbers, slugs).
FACETS = ("type", "level", "grade", "subject", "kind", "series", "licence", "cognitive_level")
# Filterable but not counted (too many values to show as a list).
FILTERS = (*FACETS, "topic", "outcome", "school", "province", "language")


@dataclass
class SearchDoc:
    doc_type: str
    object_id: int
    title: str
    url: str = ""
    summary: str = ""
    body: str = ""  # long text: lesson body, question stem and options
    keywords: str = ""  # subject, grade, topic and outcome names and codes, kind, series, school
    facets: dict[str, list[str]] = field(default_factory=dict)
    status: str = PUBLISHED
    owner_id: int | None = None
    audience: str | None = ""
    school_id: int | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    popularity: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # shown in results: kind, subject, grades

    @property
    def key(self) -> str:
        return f"{self.doc_type}:{self.object_id}"

    # The two forms each engine indexes (see search.folding).
    def title_exact(self) -> str:
        return exact(self.title)

    def title_folded(self) -> str:
        return fold(self.title)

    def text(self) -> str:
        return " ".join(p for p in (self.summary, self.keywords, self.body) if p)

    def text_exact(self) -> str:
        return exact(self.text())

    def text_folded(self) -> str:
        return fold(self.text())


class DocumentType:
    name: str = ""
    label: str = ""

    def ids(self) -> Iterator[int]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def build(self, ids: Iterable[int]) -> dict[int, SearchDoc]:
        """Documents for the ids that belong in the index (others are absent: delete them)."""
        raise NotImplementedError


_REGISTRY: dict[str, DocumentType] = {}


def register(cls: type[DocumentType]) -> type[DocumentType]:
    instance = cls()
    if not instance.name:
        raise ValueError("A document type needs a name.")
    _REGISTRY[instance.name] = instance
    return cls


def document_types() -> dict[str, DocumentType]:
    _load_builtin_types()
    return dict(_REGISTRY)


def document_type(name: str) -> DocumentType:
    types = document_types()
    try:
        return types[name]
    except KeyError:
        raise LookupError(f"Unknown search document type {name!r}; known: {', '.join(sorted(types))}") from None


def split_key(key: str) -> tuple[str, int]:
    doc_type, _, object_id = key.partition(":")
    return doc_type, int(object_id)


def _load_builtin_types() -> None:
    from search.sources import load

    load()
