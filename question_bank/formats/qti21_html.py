"""Question HTML → the XHTML subset QTI 2.1 allows in an item body.

QTI 2.1 content is a strict XHTML profile in the QTI namespace: a fixed list of elements, few
attributes, and content models (a ``p`` holds only inline content, a ``ul`` only ``li``, a
``table`` needs ``tbody`` …). :func:`to_flow` and :func:`to_inline` rebuild any HTML into that
profile:

* kept elements: the profile's block elements (div, p, h1–h6, pre, address, ul, ol, li, dl,
  dt, dd, table/caption/tbody/tr/th/td, hr) and inline elements (span, em, strong, b, i, big,
  small, sub, sup, tt, code, kbd, samp, var, cite, dfn, abbr, acronym, q, br, img, a);
* ``u`` becomes ``span class="underline"``, ``blockquote``/``section``/``article`` become ``div``;
  ``thead``/``tfoot`` rows go into the single ``tbody``; other elements are unwrapped (their text
  kept); ``script``, ``style``, MathML and comments are dropped (MathML keeps its text);
* kept attributes: ``class``, ``xml:lang`` (from ``lang``), and ``img`` ``src``/``alt``/
  ``width``/``height``, ``a`` ``href``, ``td``/``th`` ``colspan``/``rowspan``; nothing else;
* in an inline context, block elements are unwrapped and separated by ``br``;
* ``@@PLUGINFILE@@/`` in ``src``/``href`` is replaced by the media folder of the package.
"""

from __future__ import annotations

import html as html_std
import re

from lxml import etree, html

from question_bank.formats.xmlsafe import xml_text
from question_bank.ir import PLUGINFILE

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

INLINE = {
    "span",
    "em",
    "strong",
    "b",
    "i",
    "big",
    "small",
    "sub",
    "sup",
    "tt",
    "code",
    "kbd",
    "samp",
    "var",
    "cite",
    "dfn",
    "abbr",
    "acronym",
    "q",
    "a",
}
INLINE_CONTENT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "address"}
RENAMED = {"u": ("span", "underline"), "blockquote": ("div", None), "section": ("div", None), "article": ("div", None)}
DROPPED = {
    "script",
    "style",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "select",
    "textarea",
}
_CLASS = re.compile(r"[^A-Za-z0-9_\- ]")
_LENGTH = re.compile(r"^[0-9]+%?$")


def q(tag: str) -> str:
    """A tag in the QTI namespace."""
    return f"{{{QTI_NS}}}{tag}"


def _local(element: etree._Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def parse_fragment(text: str, fmt: str = "html") -> etree._Element:
    """The question text as an HTML ``div`` (plain and Moodle texts: escaped, new lines as ``br``)."""
    if fmt != "html":
        text = html_std.escape(text, quote=False).replace("\n", "<br>")
    wrapper = html.fragment_fromstring(xml_text(text) or "", create_parent="div")
    return wrapper


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    text = xml_text(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _media(url: str, media_dir: str) -> str:
    return url.replace(PLUGINFILE + "/", media_dir).replace(PLUGINFILE, media_dir.rstrip("/"))


def _copy_attrs(src: etree._Element, dst: etree._Element, name: str, media_dir: str) -> None:
    cls = _CLASS.sub("", src.get("class", "")).strip()
    if cls:
        dst.set("class", " ".join(cls.split()))
    lang = src.get("lang") or src.get(XML_LANG)
    if lang and re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", lang):
        dst.set(XML_LANG, lang)
    if name == "img":
        dst.set("src", _media(src.get("src", ""), media_dir) or "missing")
        dst.set("alt", xml_text(src.get("alt", ""))[:256])
        for attr in ("width", "height"):
            if _LENGTH.match(src.get(attr, "")):
                dst.set(attr, src.get(attr, ""))
    elif name == "a":
        dst.set("href", _media(src.get("href", ""), media_dir))
    elif name in ("td", "th"):
        for attr in ("colspan", "rowspan"):
            if src.get(attr, "").isdigit():
                dst.set(attr, src.get(attr, ""))


def _inline_children(src: etree._Element, dst: etree._Element, media_dir: str) -> None:
    """Copy ``src``'s content into ``dst`` keeping only inline content."""
    _append_text(dst, src.text)
    for child in src:
        name = _local(child)
        if not isinstance(child.tag, str) or name in DROPPED:
            _append_text(dst, child.tail)
            continue
        mapped, cls = RENAMED.get(name, (name, None))
        if name == "br":
            etree.SubElement(dst, q("br"))
        elif name == "img":
            _copy_attrs(child, etree.SubElement(dst, q("img")), "img", media_dir)
        elif mapped in INLINE and not (name == "a" and not child.get("href")):
            element = etree.SubElement(dst, q(mapped))
            _copy_attrs(child, element, mapped, media_dir)
            if cls:
                element.set("class", cls)
            _inline_children(child, element, media_dir)
        else:
            _inline_children(child, dst, media_dir)
            if (
                name in INLINE_CONTENT_BLOCKS | {"div", "li", "tr", "blockquote", "dd", "dt"}
                and child.getnext() is not None
            ):
                etree.SubElement(dst, q("br"))
        _append_text(dst, child.tail)


def _flow_children(src: etree._Element, dst: etree._Element, media_dir: str) -> None:
    """Copy ``src``'s content into ``dst`` (a flow container: div, li, td, th, dd)."""
    _append_text(dst, src.text)
    for child in src:
        name = _local(child)
        if not isinstance(child.tag, str) or name in DROPPED:
            _append_text(dst, child.tail)
            continue
        mapped, cls = RENAMED.get(name, (name, None))
        if mapped in INLINE_CONTENT_BLOCKS:
            element = etree.SubElement(dst, q(mapped))
            _copy_attrs(child, element, mapped, media_dir)
            _inline_children(child, element, media_dir)
        elif mapped in ("div", "li", "dd"):
            element = etree.SubElement(dst, q("div"))
            _copy_attrs(child, element, "div", media_dir)
            if cls:
                element.set("class", cls)
            _flow_children(child, element, media_dir)
        elif mapped in ("ul", "ol"):
            _list(child, etree.SubElement(dst, q(mapped)), media_dir)
        elif mapped == "dl":
            _definitions(child, etree.SubElement(dst, q("dl")), media_dir)
        elif mapped == "table":
            _table(child, dst, media_dir)
        elif mapped == "hr":
            etree.SubElement(dst, q("hr"))
        else:
            holder = etree.Element("span")
            holder.append(_clone(child))
            _inline_children(holder, dst, media_dir)
            continue
        _append_text(dst, child.tail)


def _clone(element: etree._Element) -> etree._Element:
    copy = etree.Element(element.tag if isinstance(element.tag, str) else "span", dict(element.attrib))
    copy.text = element.text
    copy.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_clone(child))
        elif child.tail:
            _append_text(copy, child.tail)
    return copy


def _list(src: etree._Element, dst: etree._Element, media_dir: str) -> None:
    for child in src:
        if _local(child) == "li":
            _flow_children(child, etree.SubElement(dst, q("li")), media_dir)
        elif isinstance(child.tag, str) and _local(child) not in DROPPED:
            holder = etree.Element("div")
            holder.append(_clone(child))
            _flow_children(holder, etree.SubElement(dst, q("li")), media_dir)
    if not len(dst):
        etree.SubElement(dst, q("li"))


def _definitions(src: etree._Element, dst: etree._Element, media_dir: str) -> None:
    for child in src:
        name = _local(child)
        if name == "dt":
            _inline_children(child, etree.SubElement(dst, q("dt")), media_dir)
        elif name == "dd":
            _flow_children(child, etree.SubElement(dst, q("dd")), media_dir)


def _table(src: etree._Element, dst: etree._Element, media_dir: str) -> None:
    rows = [r for r in src.iter() if _local(r) == "tr"]
    if not rows:
        return
    table = etree.SubElement(dst, q("table"))
    caption = next((c for c in src if _local(c) == "caption"), None)
    if caption is not None:
        _inline_children(caption, etree.SubElement(table, q("caption")), media_dir)
    body = etree.SubElement(table, q("tbody"))
    for row in rows:
        tr = etree.SubElement(body, q("tr"))
        for cell in row:
            if _local(cell) in ("td", "th"):
                element = etree.SubElement(tr, q(_local(cell)))
                _copy_attrs(cell, element, _local(cell), media_dir)
                _flow_children(cell, element, media_dir)
        if not len(tr):
            etree.SubElement(tr, q("td"))


def to_flow(text: str, fmt: str, media_dir: str = "media/") -> etree._Element:
    """A QTI ``div`` holding the text as flow content."""
    div = etree.Element(q("div"), nsmap={None: QTI_NS})
    _flow_children(parse_fragment(text, fmt), div, media_dir)
    return div


def to_inline(text: str, fmt: str, parent: etree._Element, media_dir: str = "media/") -> etree._Element:
    """Fill ``parent`` with the text as inline content only; returns ``parent``."""
    _inline_children(parse_fragment(text, fmt), parent, media_dir)
    return parent


def plain_text(text: str, fmt: str) -> str:
    """The text without markup (for titles and map keys)."""
    return " ".join(parse_fragment(text, fmt).text_content().split())
