"""Smoke tests against the real servers: Elasticsearch, the S3-compatible store, ffmpeg.

They prove the plumbing later capabilities build on: an index created, written
and read back through the DSL; a bucket created and a file stored and read back
through Django's storage API; a clip generated and probed.
"""

import json
import subprocess
import urllib.error
import urllib.request
import uuid

import ffmpeg
import pytest

from tests.integration.conftest import required_env

pytestmark = pytest.mark.integration


def test_elasticsearch_index_write_read_back_with_the_dsl():
    from elasticsearch import Elasticsearch
    from elasticsearch.dsl import Document, Integer, Keyword, Text

    client = Elasticsearch(required_env("ELASTICSEARCH_URL"), request_timeout=30)
    index = f"lms-smoke-{uuid.uuid4().hex[:8]}"

    class Material(Document):
        title = Text(analyzer="standard")
        title_folded = Text(analyzer="standard")
        subject = Keyword()
        grade = Integer()

        class Index:
            name = index

    try:
        Material.init(using=client)
        Material(
            meta={"id": "1"}, title="Toán lớp 6 – Phân số", title_folded="toan lop 6 – phan so", subject="toan", grade=6
        ).save(using=client, refresh=True)
        got = Material.get(id="1", using=client)
        assert got.title == "Toán lớp 6 – Phân số"
        hits = Material.search(using=client).query("match", title_folded="phan so").filter("term", grade=6).execute()
        assert [h.meta.id for h in hits] == ["1"]
        facets = Material.search(using=client).extra(size=0)
        facets.aggs.bucket("subjects", "terms", field="subject")
        assert facets.execute().aggregations.subjects.buckets[0].key == "toan"
    finally:
        client.indices.delete(index=index, ignore_unavailable=True)


def test_s3_bucket_create_and_django_storage_round_trip(settings):
    import boto3
    from django.core.files.base import ContentFile
    from storages.backends.s3 import S3Storage

    from lms.s3 import client_config

    endpoint = required_env("AWS_S3_ENDPOINT_URL")
    key, secret = required_env("AWS_ACCESS_KEY_ID"), required_env("AWS_SECRET_ACCESS_KEY")
    config = client_config()
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
        config=config,
    )
    bucket = f"lms-smoke-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=bucket)
    try:
        storage = S3Storage(
            bucket_name=bucket,
            endpoint_url=endpoint,
            access_key=key,
            secret_key=secret,
            region_name="us-east-1",
            client_config=config,
            file_overwrite=False,
        )
        body = "Bài giảng: phân số ½".encode()
        name = storage.save("lessons/bai-1.txt", ContentFile(body))
        assert storage.exists(name)
        with storage.open(name) as fh:
            assert fh.read() == body
        assert storage.size(name) == len(body)
        signed = storage.url(name)
        assert "X-Amz-Signature" in signed  # private objects get SigV4-signed URLs
        with urllib.request.urlopen(signed, timeout=10) as response:  # noqa: S310 - loopback test server
            assert response.read() == body
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(signed.split("?")[0], timeout=10)  # noqa: S310 - unsigned is refused
        storage.delete(name)
        assert not storage.exists(name)
    finally:
        for obj in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=obj["Key"])
        client.delete_bucket(Bucket=bucket)


def test_default_storage_is_s3_when_configured(settings):
    """In the at-scale run the whole suite stores files on the S3 server, through STORAGES."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage, storages

    required_env("AWS_STORAGE_BUCKET_NAME")
    assert type(storages["default"]).__name__ == "S3Storage"
    name = default_storage.save(f"smoke/{uuid.uuid4().hex}.txt", ContentFile(b"xin chao"))
    try:
        with default_storage.open(name) as fh:
            assert fh.read() == b"xin chao"
    finally:
        default_storage.delete(name)


def test_ffmpeg_generates_and_ffprobe_reads_a_clip(tmp_path):
    clip = tmp_path / "clip.mp4"
    video = ffmpeg.input("testsrc2=size=320x240:rate=25:duration=1", f="lavfi")
    audio = ffmpeg.input("sine=frequency=440:duration=1", f="lavfi")
    ffmpeg.output(video, audio, str(clip), vcodec="libx264", acodec="aac", pix_fmt="yuv420p").run(quiet=True)
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(clip)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    kinds = {s["codec_type"]: s for s in probe["streams"]}
    assert kinds["video"]["codec_name"] == "h264" and kinds["video"]["width"] == 320
    assert kinds["audio"]["codec_name"] == "aac"
    assert abs(float(probe["format"]["duration"]) - 1.0) < 0.1
