"""Safe XML reading and writing helpers (lxml).

Reading never resolves entities, never touches the network, refuses huge trees and any
document with a DOCTYPE (Moodle XML has none; a DOCTYPE is how entity attacks begin).
Writing drops characters XML 1.0 cannot hold (control characters other than tab/CR/LF).
"""

from __future__ import annotations

import re

from lxml import etree

from question_bank.formats.base import MAX_IMPORT_BYTES, Rejection

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_parser() -> etree.XMLParser:
    """A parser that resolves no entities, loads no DTD, uses no network and refuses huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
    )


def parse_xml(data: bytes | str) -> tuple[etree._Element | None, Rejection | None]:
    """Parse a document; (root, None) or (None, file-level rejection)."""
    if isinstance(data, str):
        data = _XML_DECLARATION.sub("", data, count=1).encode("utf-8")
    if len(data) > MAX_IMPORT_BYTES:
        return None, Rejection(0, "the file is too large", "file.too_large")
    if not data.strip():
        return None, Rejection(0, "the file is empty", "file.empty")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        return None, Rejection(0, f"not well-formed XML: {exc}", "file.not_xml", getattr(exc, "lineno", None))
    except (ValueError, LookupError) as exc:
        return None, Rejection(0, f"cannot read the XML: {exc}", "file.not_xml")
    if root is None:
        return None, Rejection(0, "the file has no XML element", "file.not_xml")
    if root.getroottree().docinfo.doctype:
        return None, Rejection(0, "documents with a DOCTYPE are refused", "file.doctype")
    return root, None


def xml_text(value: str) -> str:
    """A string XML can hold: characters not allowed in XML 1.0 removed."""
    return _NOT_XML_CHARS.sub("", value)


def element_text(element: etree._Element | None) -> str:
    """All text inside an element (entities left unresolved count as nothing)."""
    if element is None:
        return ""
    return "".join(t for t in element.itertext() if isinstance(t, str))
