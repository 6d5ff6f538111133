"""Files attached to drafts are never downloadable by people without edit or review rights."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from repository.models import MaterialPage, SharingScope
from tests.repository.conftest import make_material, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def immediate_tasks(settings):
    # Wagtail keeps its reference index up to date through tasks; run them inline here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def download(client, url) -> bytes | None:
    """The file's bytes when allowed, None when refused (404). On local disk Django streams the
    file; on S3 Wagtail redirects to a signed URL, which is fetched from the real S3 server."""
    import urllib.request

    response = client.get(url)
    if response.status_code == 404:
        return None
    if response.status_code == 302:
        assert "Signature" in response["Location"]
        with urllib.request.urlopen(response["Location"], timeout=10) as fetched:  # noqa: S310 - loopback S3
            return fetched.read()
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def attach_pdf(page, owner):
    document = Document(title="Phiếu bài tập", uploaded_by_user=owner)
    document.file.save("phieu-bai-tap.pdf", ContentFile(PDF), save=False)
    document.save()
    page = MaterialPage.objects.get(pk=page.pk).specific
    page.body = [*page.body.raw_data, {"type": "file", "value": {"document": document.pk, "description": ""}}]
    page.save()
    page.save_revision(user=owner)
    return document


def test_draft_files_only_for_author_school_admin_and_reviewers(library, client, immediate_tasks):
    c = library
    page = make_material(c.teacher, c.school, scope=SharingScope.SCHOOL)
    document = attach_pdf(page, c.teacher)
    url = document.url
    for user in (c.student, c.outsider, c.group_head):
        client.force_login(user)
        assert download(client, url) is None, user.username
    client.logout()
    assert download(client, url) is None
    for user in (c.teacher, c.school_admin):
        client.force_login(user)
        assert download(client, url) == PDF, user.username
    submit(MaterialPage.objects.get(pk=page.pk).specific, c.teacher)
    client.force_login(c.group_head)  # now appraising it
    assert download(client, url) == PDF


def test_published_files_follow_the_material_audience(library, client, immediate_tasks):
    c = library
    page = make_material(c.teacher, c.school, scope=SharingScope.SCHOOL)
    document = attach_pdf(page, c.teacher)
    MaterialPage.objects.get(pk=page.pk).get_latest_revision().publish(user=None)
    client.force_login(c.student)
    assert download(client, document.url) == PDF
    client.force_login(c.outsider_student)
    assert download(client, document.url) is None


def test_unsupported_and_oversized_files_are_refused_with_a_message(library, settings):
    from django.core.exceptions import ValidationError

    from repository.blocks import FileBlock

    c = library
    exe = Document(title="setup", uploaded_by_user=c.teacher)
    exe.file.save("setup.exe", ContentFile(b"MZ"), save=False)
    exe.save()
    with pytest.raises(ValidationError, match=r"\.exe"):
        FileBlock().clean({"document": exe, "description": ""})
    big = Document(title="big", uploaded_by_user=c.teacher)
    big.file.save("big.pdf", ContentFile(PDF + b"0" * 2048), save=False)
    big.save()
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError, match="MB"):
        FileBlock().clean({"document": big, "description": ""})
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
    assert FileBlock().clean({"document": big, "description": ""})["document"] == big
