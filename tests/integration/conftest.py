import os

import pytest


def required_env(name: str) -> str:
    """Integration tests talk to real servers; a missing one fails the run, never skips it."""
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: start the servers with scripts/services/up.sh (scripts/test does).")
    return value
