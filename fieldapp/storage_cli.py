"""`flask photos migrate --to s3` and `flask backup config|status|restore`."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import NamedTemporaryFile

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp import backup
from fieldapp.photos.objects import StoreUnavailable
from fieldapp.photos.store import LocalPhotoStore, s3_settings


@click.group("photos", help="Photo files: where they are stored.")
def photos_cli():
    pass


@dataclass
class Migration:
    """What one run of `photos migrate` did."""

    copied: int = 0
    already: int = 0
    problems: list = field(default_factory=list)


def _read(store, sha256, thumbnail=False) -> bytes | None:
    stream = store.open(sha256, thumbnail)
    if stream is None:
        return None
    with stream:
        return stream.read()


def migrate(source: LocalPhotoStore, target, limit: int | None = None) -> Migration:
    """Copy every local photo to target, each checked by sha256 before and after; resumable.

    A photo whose objects already carry the right sha256 is skipped, so a run stopped half way
    continues where it stopped. A local file whose content does not match its name is not copied.
    """
    done = Migration()
    for sha256 in source.shas():
        if limit is not None and done.copied >= limit:
            break
        image, thumbnail = _read(source, sha256), _read(source, sha256, thumbnail=True)
        if image is None or hashlib.sha256(image).hexdigest() != sha256:
            done.problems.append(f"{sha256}: the local file does not match its sha256; not copied")
            continue
        if thumbnail is None:
            done.problems.append(f"{sha256}: the local thumbnail is missing; not copied")
            continue
        thumb_sha = hashlib.sha256(thumbnail).hexdigest()
        if target.recorded_digest(sha256, True) == thumb_sha and target.recorded_digest(sha256) == sha256:
            done.already += 1
            continue
        # The thumbnail first, as the app stores them: an object photo always has its thumbnail.
        target.put(sha256, thumbnail, thumbnail=True)
        target.put(sha256, image)
        # Read back: the count of copies is the count of objects whose bytes were checked.
        if (hashlib.sha256(_read(target, sha256, True) or b"").hexdigest() != thumb_sha
                or hashlib.sha256(_read(target, sha256) or b"").hexdigest() != sha256):
            done.problems.append(f"{sha256}: the copy read back does not match; run again")
            continue
        done.copied += 1
    return done


@photos_cli.command("migrate", help="Copy the photos of PHOTOS_DIR to the S3 store (S3_*), checking each sha256; "
                                    "run it again to resume. Then set PHOTO_STORE=s3.")
@click.option("--to", "to", type=click.Choice(["s3"]), required=True, help="The store to copy to.")
@click.option("--limit", type=click.IntRange(min=1), help="Copy at most this many photos in this run.")
@with_appcontext
def migrate_command(to, limit):
    from fieldapp.photos.s3 import S3Misconfigured, S3PhotoStore

    config = current_app.config
    source = LocalPhotoStore(config["PHOTOS_DIR"])
    try:
        target = S3PhotoStore(**s3_settings(config))
        target.verify_access(current_app.logger)
        done = migrate(source, target, limit)
    except (S3Misconfigured, StoreUnavailable) as error:
        raise click.ClickException(f"Nothing more copied: {getattr(error, 'description', None) or error}") from error
    for problem in done.problems:
        click.echo(problem, err=True)
    click.echo(f"Copied {done.copied} photos to s3://{target.bucket}/{target.prefix}; "
               f"{done.already} were already there; {len(done.problems)} problems.")
    if done.problems:
        raise SystemExit(1)


@click.group("backup", help="Continuous backup of the database with Litestream, to the S3 store.")
def backup_cli():
    pass


def _config_file():
    """The generated Litestream configuration in a private temporary file (it holds the S3 secret)."""
    file = NamedTemporaryFile("w", prefix="litestream-", suffix=".yml", delete=False)
    os.chmod(file.name, 0o600)
    with file:
        file.write(backup.litestream_yaml(current_app.config))
    return Path(file.name)


def _with_config(action):
    try:
        path = _config_file()
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    try:
        return action(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    finally:
        path.unlink(missing_ok=True)


@backup_cli.command("config", help="Print the Litestream configuration for this database (or write it, mode 0600).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write it to this file.")
@with_appcontext
def config_command(out):
    try:
        text = backup.litestream_yaml(current_app.config)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    if out is None:
        click.echo(text, nl=False)
        return
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    click.echo(f"Wrote {out}")


@backup_cli.command("status", help="Show the replica's last position and how far it lags behind the database.")
@with_appcontext
def status_command():
    def show(path):
        state = backup.status(current_app.config, path)
        where = f"s3://{s3_settings(current_app.config)['bucket']}/{backup.replica_path(current_app.config)}"
        if state.replica_txid is None:
            click.echo(f"Replica {where}: empty (no backup yet).")
            raise SystemExit(1)
        at = state.replica_at.isoformat() if state.replica_at else "unknown"
        click.echo(f"Replica {where}: transaction {state.replica_txid}, written {at}.")
        local = "unknown (Litestream has not run here)" if state.local_txid is None else state.local_txid
        click.echo(f"Local database: transaction {local}.")
        if state.behind is not None:
            lag = state.lag_seconds(backup.now())
            click.echo(f"Behind by {state.behind} transactions; lag {lag:.0f} s." if lag is not None
                       else f"Behind by {state.behind} transactions.")

    _with_config(show)


@backup_cli.command("restore", help="Restore the database from the replica into PATH (latest, or as of --timestamp).")
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the restored database.")
@click.option("--timestamp", help="Point in time to restore, e.g. 2026-11-18T10:30:00Z.")
@click.option("--force", is_flag=True, help="Overwrite an existing file at PATH.")
@with_appcontext
def restore_command(target, timestamp, force):
    database = Path(current_app.config["DATABASE"]).resolve()
    if target.resolve() == database and not current_app.extensions.get("cortile.database_existed", True):
        # On a new machine the app's own start-up (this command's) made an empty database there.
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
    _with_config(lambda path: backup.restore(current_app.config, path, target, timestamp=timestamp, force=force))
    click.echo(f"Restored the database into {target}.")


COMMANDS = (photos_cli, backup_cli)
