"""Document types: one module per kind of object, each registering itself in search.documents.

Questions (``search/sources/questions.py``, the mapping of the bank's questions) are loaded
when ``settings.SEARCH_INDEX_QUESTIONS`` is true, once the bank's models have landed.
"""

from django.conf import settings

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from search.sources import materials  # noqa: F401

    if getattr(settings, "SEARCH_INDEX_QUESTIONS", False):
        from search.sources import questions  # noqa: F401
