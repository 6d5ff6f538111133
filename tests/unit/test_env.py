import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.env import env_bool, env_choice, env_int, env_list, env_str, env_url


def test_missing_required_variable_names_it(monkeypatch):
    monkeypatch.delenv("LMS_X", raising=False)
    with pytest.raises(ImproperlyConfigured, match="LMS_X is required"):
        env_str("LMS_X")
    assert env_str("LMS_X", "fallback") == "fallback"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)])
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("LMS_X", raw)
    assert env_bool("LMS_X", not expected) is expected


def test_bad_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("LMS_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("LMS_X", False)
    monkeypatch.setenv("LMS_X", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("LMS_X", 1)
    monkeypatch.setenv("LMS_X", "5")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("LMS_X", 1, minimum=10)
    monkeypatch.setenv("LMS_X", "redis")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("LMS_X", ("database", "immediate"), "database")
    monkeypatch.setenv("LMS_X", "localhost:9200")
    with pytest.raises(ImproperlyConfigured, match="not a valid URL"):
        env_url("LMS_X")


def test_lists_and_urls(monkeypatch):
    monkeypatch.setenv("LMS_X", "a.vn, b.vn,,")
    assert env_list("LMS_X", []) == ["a.vn", "b.vn"]
    monkeypatch.setenv("LMS_X", "http://127.0.0.1:9200/")
    assert env_url("LMS_X") == "http://127.0.0.1:9200"
