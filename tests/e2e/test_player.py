"""The lecture player in Chromium: hls.js plays the real ladder, captions show, a slow link stays on the lowest rung.

The ladder is made by the real pipeline (ffmpeg) from a clip with film grain, so
each rung really uses its bitrate (a clean test pattern would fit every rung
into a few kbit/s and make the 500 kbit/s test meaningless). Debian's Chromium
plays H.264/AAC through Media Source Extensions, which hls.js needs.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_roles import log_in
from tests.media_pipeline import clips
from tests.media_pipeline.helpers import uploaded
from tests.media_pipeline.storages import apply_storage

pytestmark = pytest.mark.e2e

CAPTIONS = "1\n00:00:00,000 --> 00:00:30,000\nXin chào các em\n"
KBIT = 1000 / 8  # bytes per second in one kbit/s


def media_settings(settings, tmp_path) -> None:
    """Local disk, the fastest x264 preset, conversions run as soon as they are queued."""
    settings.MEDIA_X264_PRESET = "ultrafast"
    settings.MEDIA_WORK_DIR = str(tmp_path)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "media"]}
    }
    apply_storage(settings, "local", str(tmp_path / "media"))


@pytest.fixture
def lecture(transactional_db, settings, tmp_path):
    """A published 14 s lecture at 854×480 (rungs 240p, 360p, 480p) with Vietnamese captions."""
    from lms.accounts.services import create_user
    from media_pipeline import services

    media_settings(settings, tmp_path)
    source = tmp_path / "grain.mp4"
    clips.ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=854x480:rate=25,noise=alls=30:allf=t",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "14", *clips.FAST, "-crf", "18", "-c:a", "aac", str(source),
    )  # fmt: skip
    owner = create_user(actor=None, username="gv-video", full_name="Nguyễn Thị Lan", password="Cast-Passw0rd!")
    video = services.create_video_from_upload(owner=owner, title="Phân số bằng nhau", uploaded_file=uploaded(source))
    video.refresh_from_db()
    assert video.is_playable, video.status
    services.add_caption(
        video, language="vi", label="Tiếng Việt", uploaded_file=SimpleUploadedFile("vi.srt", CAPTIONS.encode())
    )
    services.set_published(video, True)
    return video


def segment_requests(page) -> list[str]:
    found: list[str] = []
    page.on("request", lambda request: found.append(request.url) if "/seg_" in request.url else None)
    return found


def rung(url: str) -> str:
    return url.rsplit("/", 2)[-2]


def start_playing(page, lecture) -> None:
    page.goto(f"/media/videos/{lecture.uuid}/watch/")
    expect(page.locator("figure[data-engine='hls.js']")).to_have_count(1)
    # Muted, so the browser's autoplay policy lets a script start it.
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")


def test_hls_js_plays_the_ladder_from_the_lowest_rung_with_captions(lecture, page):
    segments = segment_requests(page)
    start_playing(page, lecture)
    page.wait_for_function("() => document.querySelector('video').currentTime > 2", timeout=30_000)
    levels = page.evaluate("() => document.querySelector('figure').lecturePlayer.hls.levels.map(l => l.height)")
    assert levels == [240, 360, 480]  # the audio-only rung is not a picture level
    assert segments and rung(segments[0]) == "240p"  # playback starts on the lowest rung

    # Captions: choose them in the menu and a cue becomes active on screen.
    page.get_by_label("Phụ đề").select_option("vi")
    page.wait_for_function(
        """() => { const t = [...document.querySelector('video').textTracks].find(t => t.language === 'vi');
                   return t && t.mode === 'showing' && t.activeCues && t.activeCues.length > 0; }"""
    )
    cue = page.evaluate(
        "() => [...document.querySelector('video').textTracks].find(t => t.language === 'vi').activeCues[0].text"
    )
    assert cue == "Xin chào các em"

    # The quality menu switches by hand; "Automatic" names the rung playing.
    page.get_by_label("Chất lượng").select_option(label="480p")
    expect(page.locator("figure[data-level='480p']")).to_have_count(1, timeout=30_000)
    assert any(rung(url) == "480p" for url in segments)
    page.get_by_label("Tốc độ").select_option("1.5")
    assert page.evaluate("() => document.querySelector('video').playbackRate") == 1.5
    assert_accessible(page, "watch page")


def test_on_a_500_kbit_link_the_player_stays_on_the_lowest_rung(lecture, page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 500 * KBIT, "uploadThroughput": 250 * KBIT},
    )
    segments = segment_requests(page)
    start_playing(page, lecture)
    page.wait_for_function("() => document.querySelector('video').currentTime > 6", timeout=60_000)
    bandwidths = page.evaluate("() => document.querySelector('figure').lecturePlayer.hls.levels.map(l => l.bitrate)")
    assert bandwidths[0] < 500_000 < bandwidths[1]  # only the lowest rung fits the link
    assert len(segments) >= 2
    assert {rung(url) for url in segments} == {"240p"}, segments
    assert page.evaluate("() => document.querySelector('figure').lecturePlayer.hls.currentLevel") == 0
    expect(page.locator("figure[data-level='240p']")).to_have_count(1)


def test_without_media_source_extensions_the_mp4_plays(lecture, page):
    # An old browser: no MSE, no native HLS.
    page.add_init_script(
        """delete window.MediaSource; delete window.ManagedMediaSource; delete window.WebKitMediaSource;
           const can = HTMLMediaElement.prototype.canPlayType;
           HTMLMediaElement.prototype.canPlayType = function (t) {
             return /mpegurl/i.test(t) ? '' : can.call(this, t);
           };"""
    )
    page.goto(f"/media/videos/{lecture.uuid}/watch/")
    expect(page.locator("figure[data-engine='mp4']")).to_have_count(1)
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=30_000)
    assert page.evaluate("() => document.querySelector('video').currentSrc").endswith("/download.mp4")
    expect(page.get_by_text("Không dùng được chế độ phát thích ứng; đang phát bản MP4.")).to_be_visible()
    expect(page.get_by_role("link", name="Tải về để xem không cần mạng (MP4, 360p, khoảng")).to_be_visible()


def restore_admin_access() -> None:
    """Wagtail's access_admin permission comes from a data migration, so the flush after an earlier
    transactional test removes it (post_migrate recreates only model permissions); put it back."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from lms.accounts.models import User
    from lms.accounts.services import ensure_role_groups, sync_role_groups

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    ensure_role_groups()
    for user in User.objects.all():
        sync_role_groups(user)


def test_a_teacher_uploads_in_pieces_and_follows_the_conversion(demo, page, settings, tmp_path):
    restore_admin_access()
    media_settings(settings, tmp_path)
    settings.MEDIA_MAX_CHUNK_BYTES = 64 * 1024  # so this small file goes in several pieces
    source = clips.video_clip(tmp_path / "bai-5.mp4", width=640, height=360, seconds=4)
    assert source.stat().st_size > 3 * 64 * 1024
    pieces = []
    page.on("request", lambda r: pieces.append(r.url) if r.method == "PUT" else None)
    log_in(page, "anhduong.gv.toan")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # signed in before going on
    page.goto("/admin/lecture-videos/upload/")
    expect(page.get_by_role("heading", name="Tải lên video bài giảng")).to_be_visible()
    page.get_by_label("Tiêu đề").fill("Bài 5: Tỉ số")
    page.get_by_label("Tệp video").set_input_files(str(source))
    page.locator("form[data-video-upload] button[type='submit']").click()
    # The last piece is probed and queued; the page then follows the conversion.
    page.wait_for_url(re.compile(r"/admin/lecture-videos/[0-9a-f-]{36}/$"), timeout=120_000)
    expect(page.locator("[data-status-label]")).to_have_text("Sẵn sàng", timeout=60_000)
    offsets = [int(url.rsplit("offset=", 1)[1]) for url in pieces]
    assert len(offsets) >= 3 and offsets == sorted(offsets) and offsets[:2] == [0, 64 * 1024]
    expect(page.locator("figure.lecture-player video")).to_have_count(1)
