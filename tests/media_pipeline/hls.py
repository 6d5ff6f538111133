"""A strict little HLS parser for the tests, written apart from the code under test (RFC 8216 §4)."""

from __future__ import annotations

from dataclasses import dataclass, field


def attributes(text: str) -> dict[str, str]:
    """Parse an attribute list character by character; quoted values keep their quotes for the caller to check."""
    result: dict[str, str] = {}
    i = 0
    while i < len(text):
        eq = text.index("=", i)
        name = text[i:eq]
        assert name and all(c.isupper() or c.isdigit() or c == "-" for c in name), f"bad attribute name {name!r}"
        j = eq + 1
        if text[j] == '"':
            end = text.index('"', j + 1)
            value = text[j : end + 1]
            j = end + 1
        else:
            end = text.find(",", j)
            end = len(text) if end < 0 else end
            value = text[j:end]
            j = end
        assert name not in result, f"attribute {name} repeated"
        result[name] = value
        if j < len(text):
            assert text[j] == ",", f"expected a comma at {j} in {text!r}"
        i = j + 1
    return result


@dataclass
class StreamInf:
    uri: str
    attrs: dict[str, str]

    @property
    def bandwidth(self) -> int:
        return int(self.attrs["BANDWIDTH"])

    @property
    def codecs(self) -> list[str]:
        value = self.attrs["CODECS"]
        assert value.startswith('"') and value.endswith('"'), "CODECS must be a quoted string"
        return value.strip('"').split(",")

    @property
    def resolution(self) -> tuple[int, int] | None:
        if "RESOLUTION" not in self.attrs:
            return None
        w, h = self.attrs["RESOLUTION"].split("x")
        return int(w), int(h)


@dataclass
class Media:
    target_duration: int
    durations: list[float] = field(default_factory=list)
    uris: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)

    @property
    def duration(self) -> float:
        return sum(self.durations)


def master(text: str) -> list[StreamInf]:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "#EXTM3U"
    out, pending = [], None
    for line in lines[1:]:
        if line.startswith("#EXT-X-STREAM-INF:"):
            assert pending is None, "two STREAM-INF tags in a row"
            pending = attributes(line.split(":", 1)[1])
        elif not line.startswith("#"):
            assert pending is not None, f"URI without STREAM-INF: {line}"
            out.append(StreamInf(line, pending))
            pending = None
        else:
            assert line.split(":")[0] in {"#EXT-X-VERSION", "#EXT-X-INDEPENDENT-SEGMENTS"}, line
    assert pending is None
    return out


def media(text: str) -> Media:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "#EXTM3U"
    target, result, duration = None, None, None
    tags: set[str] = set()
    durations, uris = [], []
    for line in lines[1:]:
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = int(line.split(":", 1)[1])
        elif line.startswith("#EXTINF:"):
            duration = float(line.split(":", 1)[1].rstrip(",").split(",")[0])
        elif line.startswith("#"):
            tags.add(line.split(":")[0])
        else:
            assert duration is not None, f"segment without EXTINF: {line}"
            durations.append(duration)
            uris.append(line)
            duration = None
    assert target is not None
    result = Media(target, durations, uris, tags)
    for d in result.durations:
        assert round(d) <= target, f"segment of {d}s exceeds EXT-X-TARGETDURATION {target}"
    return result
