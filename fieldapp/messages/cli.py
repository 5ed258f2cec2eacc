"""`flask messages send [--loop]` and `flask messages digest`."""
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp import clock
from fieldapp.db import get_db
from fieldapp.messages import digest, smtp


@click.group("messages", help="Outgoing e-mail: send the queue, queue the daily digest.")
def messages_cli():
    pass


def say(run):
    if not run.configured:
        click.echo(f"SMTP is not configured (SMTP_HOST, SMTP_FROM): {run.waiting} e-mail(s) wait in the queue.")
        return
    click.echo(f"Sent {run.sent}, to retry {run.retried}, failed {run.failed}."
               + (f" Server error: {run.error}" if run.error else ""))


@messages_cli.command("send", help="Send the e-mails that are due. --loop keeps sending every "
                                   "MESSAGES_LOOP_SECONDS and queues the daily digest at DIGEST_TIME.")
@click.option("--loop", is_flag=True, help="Keep running until stopped (SIGTERM or Ctrl-C).")
@with_appcontext
def send_command(loop):
    db, config = get_db(), current_app.config
    try:
        smtp.server(config)
    except ValueError as error:  # a wrong SMTP_SECURITY: say which, without a traceback
        raise click.ClickException(str(error)) from None
    if not loop:
        run = smtp.send_due(db, config)
        say(run)
        if run.error:
            raise click.ClickException("the SMTP server could not be reached; the messages wait for the next run")
        return
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_args: stop.set())  # finish the message in hand, then stop
    digest_day = None
    while not stop.is_set():
        today = clock.local_today()
        if digest_day != today and digest.time_has_come():
            digest.queue_day(db, today)
            digest_day = today
        run = smtp.send_due(db, config)
        if run.sent or run.retried or run.failed or run.error:
            say(run)
        stop.wait(float(config["MESSAGES_LOOP_SECONDS"]))


@messages_cli.command("digest", help="Queue today's digest for each person (from DIGEST_TIME, at most once a "
                                     "day) and the areas' scheduled messages (ALER's monthly summary).")
@with_appcontext
def digest_command():
    if not digest.time_has_come():
        click.echo(f"The digest goes at {current_app.config['DIGEST_TIME']} "
                   f"({current_app.config['BABEL_DEFAULT_TIMEZONE']}): nothing queued yet.")
        return
    people, scheduled = digest.queue_day(get_db(), clock.local_today())
    click.echo(f"Queued {people} digest(s) and {scheduled} scheduled message(s).")
