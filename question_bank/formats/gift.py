"""GIFT (Moodle's General Import Format Technology): import and export.

See :mod:`question_bank.formats.gift_reader` for the constructs read and
:mod:`question_bank.formats.gift_writer` for what is written.
"""

from question_bank.formats.gift_reader import import_gift
from question_bank.formats.gift_writer import export_gift

__all__ = ["export_gift", "import_gift"]
