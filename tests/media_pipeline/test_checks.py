"""System checks: an ffmpeg without libx264/aac, and S3 settings that would publish drafts."""

import stat

import pytest
from django.core import checks

from media_pipeline.checks import check_ffmpeg_encoders, check_private_media, parse_encoders
from tests.media_pipeline.storages import apply_storage

HEADER = "Encoders:\n V..... = Video\n A..... = Audio\n ------\n"


def fake_ffmpeg(tmp_path, encoders: str):
    script = tmp_path / "ffmpeg"
    script.write_text(f"#!/bin/sh\ncat <<'EOF'\n{HEADER}{encoders}EOF\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_parse_encoders():
    listing = HEADER + " V....D libx264              libx264 H.264\n A..... aac                  AAC\n"
    assert parse_encoders(listing) == {"libx264", "aac"}


def test_this_machines_ffmpeg_has_what_we_need():
    assert check_ffmpeg_encoders() == []
    assert not [m for m in checks.run_checks() if m.id.startswith("media_pipeline.")]


def test_ffmpeg_without_libx264_warns_with_how_to_install(settings, tmp_path):
    settings.FFMPEG_BINARY = fake_ffmpeg(tmp_path, " A..... aac                  AAC\n")
    [warning] = check_ffmpeg_encoders()
    assert warning.id == "media_pipeline.W002" and "libx264" in warning.msg and "aac" not in warning.msg.split(":")[1]
    assert "apt-get install ffmpeg" in warning.hint


def test_missing_ffmpeg_is_left_to_the_core_check(settings):
    settings.FFMPEG_BINARY = "/nonexistent/ffmpeg"
    assert check_ffmpeg_encoders() == []


@pytest.mark.integration
def test_unsigned_s3_urls_would_publish_drafts(settings):
    apply_storage(settings, "s3", "checks")
    assert check_private_media() == []
    config = settings.STORAGES["default"]
    unsigned = {**config, "OPTIONS": {**config["OPTIONS"], "querystring_auth": False}}
    settings.STORAGES = {**settings.STORAGES, "default": unsigned}
    assert [m.id for m in check_private_media()] == ["media_pipeline.W003"]


@pytest.mark.integration
def test_public_acl_would_publish_drafts(settings):
    apply_storage(settings, "s3", "checks")
    config = settings.STORAGES["default"]
    public = {**config, "OPTIONS": {**config["OPTIONS"], "default_acl": "public-read"}}
    settings.STORAGES = {**settings.STORAGES, "default": public}
    [warning] = check_private_media()
    assert warning.id == "media_pipeline.W003" and "public-read" in warning.msg
