"""The pipeline's playlist reader/writer, checked against the independent test parser."""

import pytest

from media_pipeline.playlists import (
    MasterPlaylist,
    PlaylistError,
    Variant,
    parse_attributes,
    parse_master,
    parse_media,
    render_master,
)
from tests.media_pipeline import hls


def test_attributes_with_commas_inside_quotes():
    assert parse_attributes('BANDWIDTH=1000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360') == {
        "BANDWIDTH": "1000",
        "CODECS": "avc1.4d401e,mp4a.40.2",
        "RESOLUTION": "640x360",
    }


def test_render_then_parse_round_trips_and_quotes_only_strings():
    master = MasterPlaylist(
        version=6,
        independent_segments=True,
        variants=[
            Variant(
                "360p/index.m3u8", {"BANDWIDTH": "600000", "CODECS": "avc1.4d401e,mp4a.40.2", "RESOLUTION": "640x360"}
            ),
            Variant("audio/index.m3u8", {"BANDWIDTH": "70000", "CODECS": "mp4a.40.2"}),
        ],
    )
    text = render_master(master)
    assert 'CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360' in text
    assert parse_master(text) == master
    independent = hls.master(text)
    assert [v.codecs for v in independent] == [["avc1.4d401e", "mp4a.40.2"], ["mp4a.40.2"]]
    assert independent[1].resolution is None


def test_media_playlist():
    text = "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    text += "#EXTINF:4.000000,\nseg_00000.ts\n#EXTINF:1.5,\nseg_00001.ts\n#EXT-X-ENDLIST\n"
    media = parse_media(text)
    assert media.target_duration == 4 and media.playlist_type == "VOD" and media.ended
    assert [s.uri for s in media.segments] == ["seg_00000.ts", "seg_00001.ts"]
    assert media.duration == pytest.approx(5.5)


@pytest.mark.parametrize("text", ["", "hello", "#EXTM3U\nvariant.m3u8\n", "#EXTM3U\n#EXT-X-VERSION:3\n"])
def test_broken_master_playlists_are_refused(text):
    with pytest.raises(PlaylistError):
        parse_master(text)
