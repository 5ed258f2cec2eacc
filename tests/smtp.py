"""A real SMTP server for tests: aiosmtpd on loopback (a free port), one per test process.

`inbox` empties it for a test and returns the handler: `inbox.received()` parses what arrived,
`inbox.refuse = 2` answers the next two messages "451 Try again later". `mail_app` is the app on a copy
of the demo database, set to send there.
"""
import email
import shutil
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

SENDER = "Cortile - Comune di Cremona <cortile@example.org>"
ALER_EMAIL = "ufficio.aler@example.com"
BASE_URL = "https://cortile.example.org"


class Inbox:
    def __init__(self):
        self.envelopes = []
        self.refuse = 0
        self.reject = set()  # recipients answered 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        return "250 OK"

    def received(self):
        """What arrived, as parsed e-mails (each with .rcpt_tos from its envelope)."""
        messages = []
        for envelope in self.envelopes:
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            message.rcpt_tos = list(envelope.rcpt_tos)
            messages.append(message)
        return messages


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def inbox(smtp_server):
    handler = smtp_server.handler
    handler.envelopes.clear()
    handler.refuse = 0
    handler.reject = set()
    return handler


def mail_settings(smtp_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SMTP_SECURITY": "none", "SMTP_FROM": SENDER,
            "SMTP_TIMEOUT": 5, "ALER_EMAIL": ALER_EMAIL, "BASE_URL": BASE_URL}


@pytest.fixture
def mail_app(tmp_path, demo_db, smtp_server, inbox):
    from tests.conftest import make_app  # conftest loads this module: imported when used

    target = tmp_path / "cortile.db"
    shutil.copy(demo_db, target)
    return make_app(tmp_path, db_file=target, **mail_settings(smtp_server))


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def pdf_text(data):
    """The text drawing operators of a PDF's content streams (enough to read what a page says)."""
    import re
    import zlib

    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            chunks.append(stream.decode("latin-1"))
    return "\n".join(chunks)
