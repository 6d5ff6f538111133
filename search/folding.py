"""Vietnamese text as the engines see it: folded in Python, so every engine and analyser agrees.

Two forms of the same text go into every document and every query:

* **exact**: NFC, lower-cased, tones and marks kept ("toán lớp 6 phân số");
* **folded**: tones and marks removed, đ → d ("toan lop 6 phan so").

A query matches on the folded form; a match on the exact form as well ranks higher, so
"toán" finds "toán" before "toàn" and "toan" finds both. Tokens are runs of letters and
digits (``\\w``), the same rule as SQLite's unicode61, PostgreSQL's simple parser and
Elasticsearch's standard tokenizer on already-folded text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lms.text import fold as _fold
from lms.text import nfc

_TOKEN = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]+)"')


def fold(text: str) -> str:
    """NFC, tones and marks removed, đ/Đ → d, lower-case: "Đường TRÒN" → "duong tron"."""
    return _fold(nfc(text or ""))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """``fold`` for one token, cached: highlighting folds the same words again and again."""
    return fold(word)


def word_set(text: str) -> set[str]:
    """The folded words of a text."""
    return {fold_word(w) for w in _TOKEN.findall(text or "")}


def exact(text: str) -> str:
    """NFC and lower-case, marks kept: "Đường TRÒN" → "đường tròn"."""
    return nfc(text or "").casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def folded_tokens(text: str) -> list[str]:
    return tokens(fold(text))


def exact_tokens(text: str) -> list[str]:
    return tokens(exact(text))


@dataclass(frozen=True)
class ParsedQuery:
    """What the user typed, split into loose words and quoted phrases, in both forms."""

    raw: str
    words: list[tuple[str, str]] = field(default_factory=list)  # (exact, folded), outside quotes
    phrases: list[list[tuple[str, str]]] = field(default_factory=list)  # quoted: word order matters

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.phrases

    def all_words(self) -> list[tuple[str, str]]:
        return [*self.words, *(w for phrase in self.phrases for w in phrase)]

    def folded_terms(self) -> set[str]:
        return {f for _e, f in self.all_words()}


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(e, fold(e)) for e in exact_tokens(text)]


def parse_query(raw: str, max_words: int = 16) -> ParsedQuery:
    raw = nfc((raw or "").strip())[:500]
    phrases = [p for p in (_pairs(m) for m in _PHRASE.findall(raw)) if p]
    rest = _PHRASE.sub(" ", raw)
    words = _pairs(rest)[:max_words]
    return ParsedQuery(raw=raw, words=words, phrases=phrases[:4])


def typo_allowance(folded_word: str) -> int:
    """One typo is tolerated in words of four letters or more, none in shorter ones or numbers.

    Elasticsearch's ``fuzziness="AUTO:4,64"`` is the same rule."""
    return 1 if len(folded_word) >= 4 and not folded_word.isdigit() else 0


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def one_edit_variants(word: str) -> set[str]:
    """Every string one deletion, substitution, insertion or transposition away (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    variants = deletes | transposes | replaces | inserts
    variants.discard(word)
    return {v for v in variants if v}


# --- Highlighting -----------------------------------------------------------------------------


def highlight(text: str, terms: set[str], *, length: int = 200, prefix_last: str | None = None) -> str:
    """HTML-escaped fragment of ``text`` with the words matching ``terms`` (folded) in <mark>.

    Highlighting works on the original text (marks kept): a word is marked when its folded form
    is one of the folded query terms, so "phan so" marks "Phân số". The fragment starts near the
    first match. Engines return the same documents; our layer marks them the same way."""
    text = nfc(text or "")
    if not text:
        return ""
    spans = []
    for match in _TOKEN.finditer(text):
        folded = fold_word(match.group())
        if folded in terms or (prefix_last and folded.startswith(prefix_last)):
            spans.append(match.span())
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 4) + 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return ("… " if start else "") + "".join(out) + (" …" if end < len(text) else "")
