"""Login, role home pages, language switch, health endpoints."""

import pytest
from django.urls import reverse

from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

HOME_TEMPLATES = {
    "student": "core/home_student.html",
    "teacher": "core/home_teacher.html",
    "group_head": "core/home_teacher.html",
    "reviewer": "core/home_reviewer.html",
    "school_admin": "core/home_admin.html",
    "province_admin": "core/home_admin.html",
    "ministry_admin": "core/home_admin.html",
    "nobody": "core/home_nomembership.html",
}


@pytest.mark.parametrize("role", HOME_TEMPLATES)
def test_each_role_lands_on_its_home_page(cast, client, role):
    user = getattr(cast, role)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert HOME_TEMPLATES[role] in [t.name for t in response.templates]
    assert user.full_name in response.content.decode()


def test_login_with_personal_id_and_case_insensitive_username(cast, client):
    cast.student.personal_id = "001210012345"
    cast.student.save()
    assert client.login(username="001210012345", password=PASSWORD)
    client.logout()
    assert client.login(username="HS", password=PASSWORD)


def test_wrong_password_shows_a_vietnamese_error_and_no_session(cast, client):
    response = client.post(reverse("login"), {"username": "hs", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_student_home_lists_the_subjects_of_their_grade(cast, client):
    client.force_login(cast.student)
    response = client.get(reverse("home"))
    assert "Khoa học tự nhiên" in response.content.decode()
    slugs = {o.subject.slug for o in response.context["offerings"]}
    assert {"toan", "ngu-van", "khoa-hoc-tu-nhien"} <= slugs
    assert "tieng-viet" not in slugs  # a primary subject


def test_admin_home_counts_only_their_subtree(cast, client):
    client.force_login(cast.school_admin)
    response = client.get(reverse("home"))
    assert response.context["student_count"] == 1
    assert response.context["school_count"] == 1
    client.force_login(cast.ministry_admin)
    response = client.get(reverse("home"))
    assert response.context["student_count"] == 2
    assert response.context["school_count"] == 2


def test_units_table_counts_each_units_whole_subtree(cast, client):
    client.force_login(cast.province_admin)
    children = client.get(reverse("home")).context["children"]
    assert [(u.code, u.teachers, u.students) for u in children] == [("T-01-CG", 2, 1)]
    client.force_login(cast.ministry_admin)
    children = client.get(reverse("home")).context["children"]
    assert sorted((u.code, u.teachers, u.students) for u in children) == [("T-01", 2, 1), ("T-15", 1, 1)]


def test_admin_home_query_count_does_not_grow_with_units(cast, client, django_assert_max_num_queries):
    from lms.orgs.models import OrgUnitType, create_organisation

    client.force_login(cast.ministry_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    school_type = OrgUnitType.objects.get(slug="truong")
    for i in range(5):
        create_organisation(name=f"Trường {i}", code=f"X{i}", unit_type=school_type, parent=cast.ministry)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("home"))
    assert len(after) == len(before)


def test_language_switch_to_english_and_back(cast, client):
    client.force_login(cast.teacher)
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()


def test_password_change_requires_login_and_works(cast, client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(cast.student)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert response.status_code == 302
    client.logout()
    assert client.login(username="hs", password="Mat-khau-moi-2026")


def test_logout_is_post_only(cast, client):
    client.force_login(cast.student)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_students_cannot_enter_the_admin_but_teachers_can(cast, client):
    client.force_login(cast.student)
    assert client.get("/admin/").status_code == 302
    client.force_login(cast.teacher)
    assert client.get("/admin/").status_code == 200


def test_healthz_and_readyz(db, client):
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "storage", "search", "tasks"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_readyz_reports_a_broken_dependency(db, client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/proc/not-writable"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["storage"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
