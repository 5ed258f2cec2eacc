"""What an e-mail says: a subject, paragraphs, facts, links and attachments, always in Italian.

An area builds a `Mail` in the `compose()` it hands to `fieldapp.messages.queue.queue`, which calls it in
the mail language and stores it as plain text and HTML. No household data in any of it: no household
codes, no names, no amounts. A staff message gives counts and links; the details are behind the sign-in.
"""
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import gettext as _

MAIL_LOCALE = "it"


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


@dataclass
class Mail:
    """One e-mail's content: `facts` are (label, value) or (label, value, absolute URL), `links` (label, URL)."""

    subject: str
    paragraphs: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    links: list = field(default_factory=list)
    closing: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)


def link(endpoint, **values):
    """An absolute URL of this site for an e-mail: built on BASE_URL, never on a request's Host header."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def footer():
    return _("An automatic message from Cortile, the field app of the Comune di Cremona's public-housing "
             "programme. Please do not reply to this address.")


def as_text(mail):
    """The plain-text body."""
    blocks = list(mail.paragraphs)
    if mail.facts:
        blocks.append("\n".join(f"{fact[0]}: {fact[1]}" + (f"\n  {fact[2]}" if len(fact) > 2 else "")
                                 for fact in mail.facts))
    blocks += [f"{label}:\n{url}" for label, url in mail.links]
    blocks += list(mail.closing)
    blocks.append(f"-- \n{footer()}")
    return "\n\n".join(str(block) for block in blocks) + "\n"


def as_html(mail):
    """The HTML body: one plain layout, inline styles (mail programs drop style sheets)."""
    return render_template("messages/mail.html", mail=mail, footer=footer())
