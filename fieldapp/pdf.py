"""Printed documents (notices, letters, pacts, the report to the Region): fpdf2's A4 with its core fonts.

fpdf2 is imported when a document is made, not when the app starts: most processes print nothing.
The core fonts speak Latin-1: `latin1` writes what they lack the way a typewriter would.
"""
import unicodedata

# Typography the PDF core fonts (Latin-1) lack, written the way a typewriter would.
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
                        "\u201d": '"', "\u2022": "-", "\u20ac": "EUR", "\u2026": "...", "\u00a0": " ",
                        "\u202f": " ", "\u2192": "->", "\u2212": "-", "\u00b7": "-", "\u0141": "L",
                        "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0152": "OE", "\u0153": "oe",
                        "\u0131": "i"})


def latin1(text):
    """Text the PDF core fonts can print: Italian accents stay; other letters lose their marks."""
    text = str(text if text is not None else "").translate(_PLAIN)
    if all(ord(c) < 256 for c in text):
        return text
    plain = "".join(c if ord(c) < 256 else unicodedata.normalize("NFKD", c)[0] for c in text)
    return plain.encode("latin-1", "replace").decode("latin-1")


def document(footer=None, **options):
    """A new fpdf2 document (A4 by default); `footer(doc)` draws each page's footer."""
    from fpdf import FPDF

    doc = FPDF(**{"format": "A4", **options})
    if footer is not None:
        doc.footer = lambda: footer(doc)
    return doc
