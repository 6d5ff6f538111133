"""Moodle XML: import and export.

See :mod:`question_bank.formats.moodle_xml_reader` for what is read and
:mod:`question_bank.formats.moodle_xml_writer` for what is written.
"""

from question_bank.formats.moodle_xml_reader import import_moodle_xml
from question_bank.formats.moodle_xml_writer import export_moodle_xml

__all__ = ["export_moodle_xml", "import_moodle_xml"]
