"""Outgoing e-mail, a base service: the queue (`queue`), what a message says (`mail`), the SMTP sender
(`smtp`), the daily digest whose counters the areas declare (`digest`), addresses (`addresses`), the CLI.

`create_app` installs it before the areas: its migrations first, then `flask messages`.
"""
from fieldapp.db import MIGRATIONS_KEY
from fieldapp.messages.cli import messages_cli
from fieldapp.messages.migrations import migrations


def init_app(app):
    app.extensions.setdefault(MIGRATIONS_KEY, []).append(migrations)
    app.cli.add_command(messages_cli)
