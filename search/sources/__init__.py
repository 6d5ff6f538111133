"""Document types: one module per kind of object, each registering itself in search.documents."""

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from search.sources import materials  # noqa: F401

    try:
        from question_bank.models import Question  # noqa: F401
    except ImportError:  # the bank's models are not there yet: questions are not indexed
        return
    from search.sources import questions  # noqa: F401
