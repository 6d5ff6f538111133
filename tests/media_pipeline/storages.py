"""Storage set-ups for the contract tests: local disk, and the real S3 server from the AWS_* variables."""

from __future__ import annotations

import os

import pytest

S3_VARIABLES = ("AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def s3_environment() -> dict[str, str]:
    """The S3 server's settings; a missing variable fails the test (CI must not silently skip S3)."""
    missing = [name for name in S3_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not set: the media storage tests need the S3 server. "
            'Run `eval "$(scripts/services/up.sh)"` first.',
            pytrace=False,
        )
    return {name: os.environ[name] for name in S3_VARIABLES}


def storage_config(kind: str, *, location: str) -> dict:
    """A STORAGES["default"] entry: ``location`` is a directory (local) or a key prefix (S3)."""
    if kind == "local":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": "/media/"},
        }
    from botocore.config import Config

    env = s3_environment()
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": env["AWS_S3_ENDPOINT_URL"],
            "access_key": env["AWS_ACCESS_KEY_ID"],
            "secret_key": env["AWS_SECRET_ACCESS_KEY"],
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
            "location": location,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 600,
            "file_overwrite": False,
            # As lms/settings.py configures S3: SigV4, path style, checksums only when required.
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        },
    }


def apply_storage(settings_obj, kind: str, location: str) -> None:
    settings_obj.STORAGES = {**settings_obj.STORAGES, "default": storage_config(kind, location=location)}
