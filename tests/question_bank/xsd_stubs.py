"""Load an XSD whose ``xs:import``s cannot be fetched (no network) by replacing each import by a stub.

The official ``imsqti_v2p1.xsd`` imports xml.xsd, XInclude, MathML 2 and the APIP extension
from relative paths. For validating our items, which use none of those namespaces except
``xml:lang``, each imported namespace is replaced by a generated stub schema that declares
exactly the components the main schema references (elements with any content, attributes
and attribute groups accepting anything). The QTI namespace itself is validated unchanged.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_ATTRS = ("ref", "type", "base", "itemType", "substitutionGroup")


def _referenced(schema: etree._ElementTree, namespace: str) -> dict[str, set[str]]:
    """Names in ``namespace`` referenced by the schema, by kind (element, attribute, attributeGroup, group, type)."""
    found: dict[str, set[str]] = {
        "element": set(),
        "attribute": set(),
        "attributeGroup": set(),
        "group": set(),
        "type": set(),
    }
    for node in schema.iter(f"{{{XS}}}*"):
        for attr in _ATTRS:
            value = node.get(attr)
            if not value or ":" not in value:
                continue
            prefix, local = value.split(":", 1)
            if node.nsmap.get(prefix) != namespace:
                continue
            kind = etree.QName(node).localname if attr == "ref" else "type"
            found.setdefault(kind, set()).add(local)
    return found


def _stub(namespace: str, names: dict[str, set[str]]) -> bytes:
    root = etree.Element(f"{{{XS}}}schema", targetNamespace=namespace, nsmap={"xs": XS})
    if namespace == XML_NS:
        names["attribute"] |= {"lang", "space", "base", "id"}
    for name in sorted(names["element"]):
        element = etree.SubElement(root, f"{{{XS}}}element", name=name)
        complex_type = etree.SubElement(element, f"{{{XS}}}complexType", mixed="true")
        sequence = etree.SubElement(complex_type, f"{{{XS}}}sequence")
        etree.SubElement(sequence, f"{{{XS}}}any", minOccurs="0", maxOccurs="unbounded", processContents="skip")
        etree.SubElement(complex_type, f"{{{XS}}}anyAttribute", processContents="skip")
    for name in sorted(names["attribute"]):
        etree.SubElement(root, f"{{{XS}}}attribute", name=name, type="xs:string")
    for name in sorted(names["attributeGroup"]):
        group = etree.SubElement(root, f"{{{XS}}}attributeGroup", name=name)
        etree.SubElement(group, f"{{{XS}}}anyAttribute", processContents="skip")
    for name in sorted(names["group"]):
        group = etree.SubElement(root, f"{{{XS}}}group", name=name)
        sequence = etree.SubElement(group, f"{{{XS}}}sequence")
        etree.SubElement(sequence, f"{{{XS}}}any", minOccurs="0", maxOccurs="unbounded", processContents="skip")
    for name in sorted(names["type"]):
        complex_type = etree.SubElement(root, f"{{{XS}}}complexType", name=name, mixed="true")
        sequence = etree.SubElement(complex_type, f"{{{XS}}}sequence")
        etree.SubElement(sequence, f"{{{XS}}}any", minOccurs="0", maxOccurs="unbounded", processContents="skip")
        etree.SubElement(complex_type, f"{{{XS}}}anyAttribute", processContents="skip")
    return etree.tostring(root)


def load_with_stubbed_imports(path: Path, folder: Path) -> etree.XMLSchema:
    """The schema at ``path`` with every ``xs:import`` replaced by a stub written into ``folder``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(path), parser)
    for number, node in enumerate(tree.getroot().findall(f"{{{XS}}}import")):
        namespace = node.get("namespace", "")
        stub = folder / f"stub{number}.xsd"
        stub.write_bytes(_stub(namespace, _referenced(tree, namespace)))
        node.set("schemaLocation", stub.as_uri())
    return etree.XMLSchema(tree)
