"""`flask open311 ...`: keys for the partner apps that send reports over Open311."""
import click
from flask.cli import with_appcontext

from fieldapp.audit import audit
from fieldapp.public import queries


@click.group("open311", help="The Open311 GeoReport v2 API: keys of partner apps.")
def open311_cli():
    pass


@open311_cli.command("issue-key", help="Issue an API key for a partner app named NAME; the key is printed once.")
@click.argument("name")
@with_appcontext
def issue_key_command(name):
    from fieldapp.public.routes import issue_key

    name = name.strip()
    if not name or len(name) > 100:
        raise click.UsageError("NAME must have from 1 to 100 characters.")
    key_id, key = issue_key(name)
    audit("api_key_issued", str(key_id), {"name": name, "via": "cli"})
    click.echo(f"Key {key_id} for {name} (shown only now, keep it safe):")
    click.echo(key)


@open311_cli.command("keys", help="List the API keys: id, prefix, name, issued, revoked, last used.")
@with_appcontext
def keys_command():
    for key in queries.api_keys():
        click.echo(f"{key['id']}\t{key['prefix']}…\t{key['name']}\t{key['created_at']}\t"
                   f"{key['revoked_at'] or '-'}\t{key['last_used_at'] or '-'}")
