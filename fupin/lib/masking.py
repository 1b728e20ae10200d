"""Masking personal numbers (ID numbers, bank accounts, phones) wherever the full number is not needed."""

from __future__ import annotations

import re

# An ID number (18 characters, or the old 15 digits) or a bank card (16 to 19 digits) inside a text,
# such as an import's error message quoting the cell; region codes (up to 12 digits) stay readable.
NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15,19})(?![0-9A-Za-z])")


def mask(number: str) -> str:
    """410102********1234: enough to tell people apart on a list, not enough to misuse."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_numbers_in(text: str) -> str:
    """`text` with every ID number or bank card number in it masked."""
    return NUMBER_IN_TEXT.sub(lambda m: mask(m.group(0)), text) if text else text


def mask_phone(number: str) -> str:
    """138****5678: the first three and last four digits."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
