"""E-mail addresses and phone numbers people type: checked, written one way, and shown masked."""
import re

from wtforms.validators import StopValidation

# Plain addresses only (no display name, no comments, no quoted local part): what a person types.
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{4,253}$)"
                   r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ./-]{4,22}[0-9]$")


def email_address(text):
    """`text` as an e-mail address (domain in lower case), or None when it is not one."""
    text = (text or "").strip()
    if not EMAIL.match(text) or ".." in text or text.startswith(".") or ".@" in text:
        return None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def phone_number(text):
    """`text` as a phone number (digits, an optional leading +, spaces kept), or None."""
    text = " ".join((text or "").split())
    digits = sum(c.isdigit() for c in text)
    return text if PHONE.match(text) and 6 <= digits <= 15 else None


def masked(address):
    """m•••@example.org: enough to recognise an address, not to copy it."""
    local, at, domain = (address or "").rpartition("@")
    return f"{local[:1]}•••@{domain}" if at else "•••"


def find_email(text):
    """The first e-mail address inside a longer text (the old joined contact field), or None."""
    for word in re.split(r"[\s,;·<>()\[\]]+", text or ""):
        found = email_address(word)
        if found:
            return found
    return None


def find_phone(text):
    """The first phone number inside a longer text, or None."""
    for match in re.finditer(r"\+?[0-9][0-9 ./-]{4,22}[0-9]", text or ""):
        found = phone_number(match.group())
        if found:
            return found
    return None


class EmailAddress:
    """A WTForms validator: empty, or an e-mail address (the field's data becomes the address as written)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not (field.data or "").strip():
            field.data = None
            raise StopValidation()
        address = email_address(field.data)
        if address is None:
            raise StopValidation(str(self.message))
        field.data = address
