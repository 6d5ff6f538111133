"""The search page, the JSON API, suggestions and the OpenAPI description, as visitors use them."""

from __future__ import annotations

import pytest

from search.backends import get_backend
from tests.search.conftest import doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(cast, settings):
    settings.SEARCH_ENGINE = "database"
    school_path = cast.school.path
    get_backend("database").index(
        [
            doc(1, "Toán lớp 6 – Phân số", keywords="Toán Lớp 6", summary="Khái niệm phân số."),
            doc(2, "Phân số ở trường Ánh Dương", audience=school_path, summary="Chỉ cho trường."),
            doc(3, "Đường tròn", grade=9, keywords="Toán Lớp 9"),
            doc(4, "Nháp phân số của cô Lan", status="draft", audience=None, owner_id=cast.teacher.pk),
        ]
    )
    return cast


def titles(response):
    return [h.title for h in response.context["results"].hits]


def test_anonymous_visitors_find_public_materials_only(client, indexed):
    response = client.get("/search/", {"q": "phan so"})
    assert response.status_code == 200
    assert titles(response) == ["Toán lớp 6 – Phân số"]
    body = response.content.decode()
    assert "<mark>Phân</mark> <mark>số</mark>" in body
    assert "Ánh Dương" not in body and "Nháp" not in body


def test_members_see_their_school_and_authors_their_drafts(client, indexed):
    client.force_login(indexed.student)
    assert set(titles(client.get("/search/", {"q": "phan so"}))) == {
        "Toán lớp 6 – Phân số",
        "Phân số ở trường Ánh Dương",
    }
    client.force_login(indexed.outsider_student)
    assert titles(client.get("/search/", {"q": "phan so"})) == ["Toán lớp 6 – Phân số"]
    client.force_login(indexed.teacher)
    response = client.get("/search/", {"q": "phan so"})
    assert "Nháp phân số của cô Lan" in titles(response)
    assert "Bản nháp của bạn" in response.content.decode()


def test_facets_are_checkboxes_that_narrow_the_results(client, indexed):
    response = client.get("/search/", {"q": "", "grade": "9"})
    assert titles(response) == ["Đường tròn"]
    body = response.content.decode()
    assert 'name="grade" value="9" checked' in body
    assert "Lớp 9" in body and "Toán" in body


def test_the_page_is_in_vietnamese_and_empty_before_a_search(client, indexed):
    response = client.get("/search/")
    assert response.status_code == 200 and response.context["results"] is None
    assert "Tìm kiếm" in response.content.decode()


@pytest.mark.parametrize("params", [{"page": "abc"}, {"sort": "cheapest"}, {"q": "x" * 300}, {"grade": ["1"] * 30}])
def test_bad_input_gets_a_clear_message_and_400(client, indexed, params):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    api = client.get("/search/api/", params)
    assert api.status_code == 400 and api.json()["error"] == "invalid_query"


def test_json_api_returns_results_facets_and_respects_visibility(client, indexed):
    data = client.get("/search/api/", {"q": "phan so", "sort": "newest"}).json()
    assert data["total"] == 1 and data["results"][0]["title"] == "Toán lớp 6 – Phân số"
    grades = {f["value"]: (f["count"], f["label"]) for f in data["facets"]["grade"]}
    assert grades == {"6": (1, "Lớp 6")}
    client.force_login(indexed.student)
    assert client.get("/search/api/", {"q": "phan so"}).json()["total"] == 2


def test_suggestions_follow_visibility(client, indexed):
    assert client.get("/search/api/suggest/", {"q": "p"}).json() == {"suggestions": []}
    found = client.get("/search/api/suggest/", {"q": "phan s"}).json()["suggestions"]
    assert [s["title"] for s in found] == ["Toán lớp 6 – Phân số"]
    client.force_login(indexed.teacher)
    found = client.get("/search/api/suggest/", {"q": "nhap ph"}).json()["suggestions"]
    assert [s["title"] for s in found] == ["Nháp phân số của cô Lan"]


def test_openapi_describes_the_api(client):
    schema = client.get("/search/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"/search/api/", "/search/api/suggest/"} <= set(schema["paths"])


def test_elasticsearch_down_shows_a_clear_message_or_answers_from_the_database(client, indexed, settings):
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.SEARCH_FALLBACK = "error"
    response = client.get("/search/", {"q": "phan so"})
    assert response.status_code == 503
    assert "tạm thời" in response.content.decode()
    assert client.get("/search/api/", {"q": "phan so"}).status_code == 503
    settings.SEARCH_FALLBACK = "database"
    response = client.get("/search/", {"q": "phan so"})
    assert response.status_code == 200 and titles(response) == ["Toán lớp 6 – Phân số"]
    assert response.context["results"].fallback
