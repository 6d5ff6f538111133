import unicodedata

from django import template

register = template.Library()


@register.filter
def nfc(value):
    """NFC-normalise text that comes from outside our data (Django's own language names are decomposed)."""
    return unicodedata.normalize("NFC", str(value)) if value else value
