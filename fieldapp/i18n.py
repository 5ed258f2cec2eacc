"""Italian by default, English available: Flask-Babel with one catalogue file per area."""
import os
from decimal import Decimal
from pathlib import Path

import click
import flask_babel
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request, session
from flask_babel import Babel, format_currency, format_decimal, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

babel = Babel()


def select_locale():
    """The language chosen in this session, else the configured default (Italian)."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang") if request else None
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def request_translations():
    """This request's catalogue, cached on `g` (Flask-Babel resolves it anew on every call).

    Keyed by the locale object Flask-Babel holds, so `force_locale(...)` still switches language.
    """
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    cached = g.get("translations")
    if cached is None or locale is None or cached[0] is not locale:
        translations = get_translations()
        g.translations = cached = (getattr(g.get("_flask_babel"), "babel_locale", None), translations)
    return cached[1]


def compile_translations(root=TRANSLATIONS, force=False):
    """Merge each language's per-area .po files into messages.mo, when stale."""
    compiled = []
    for folder in sorted(root.glob("*/LC_MESSAGES")):
        sources = sorted(p for p in folder.glob("*.po"))
        target = folder / "messages.mo"
        if not sources:
            continue
        newest = max(p.stat().st_mtime for p in sources)
        if not force and target.exists() and target.stat().st_mtime >= newest:
            continue
        merged = None
        for source in sources:
            with source.open("rb") as f:
                catalog = read_po(f, locale=folder.parent.name)
            if merged is None:
                # The first file's header, Plural-Forms included: Babel's own rule for the locale can
                # differ (3 Italian forms in Babel 2.19) from the 2 forms our translations carry.
                merged = Catalog(locale=folder.parent.name)
                merged.mime_headers = catalog.mime_headers
            elif catalog.plural_forms != merged.plural_forms:
                raise ValueError(f"{source}: Plural-Forms differs from {sources[0].name}")
            for message in catalog:
                if message.id and message.string and message.id not in merged:
                    merged[message.id] = message
        tmp = target.with_suffix(f".{os.getpid()}.tmp")  # two test workers may compile at once
        with tmp.open("wb") as f:
            write_mo(f, merged)
        tmp.replace(target)
        compiled.append(str(target))
    return compiled


@click.group("translations", help="Interface translations.")
def translations_cli():
    pass


@translations_cli.command("compile", help="Compile translations/*/LC_MESSAGES/*.po into messages.mo.")
def compile_command():
    for target in compile_translations(force=True):
        click.echo(f"compiled {target}")


def init_app(app):
    try:
        compile_translations()
    except OSError:
        app.logger.warning("translations folder is read-only; run `flask translations compile` at deploy")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.add_extension("jinja2.ext.do")
    # Templates ask for ~60 labels a page: look the catalogue up once per request, not once per label.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # The same newstyle functions, reading the catalogue the render started with (one lookup per page,
    # not per label), and `_` bound directly rather than through Jinja's alias.
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    app.jinja_env.finalize = translate_lazy
    app.jinja_env.filters.update(euro=euro, dec=dec)
    app.cli.add_command(translations_cli)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"],
                "_catalogue": request_translations()}


def translate_lazy(value):
    """Jinja's finalize: a lazy label (vocabularies) printed through the request's catalogue.

    Flask-Babel resolves domain, locale and catalogue anew for each lazy string (~70 µs here, and the
    household page prints a few dozen); the result is the same as str(value).
    """
    if type(value) is LazyString and value._func is flask_babel.gettext and len(value._args) == 1:
        text = request_translations().ugettext(value._args[0])
        return text % value._kwargs if value._kwargs else text
    return value


def _catalogue(context):
    # Macros imported without context do not see the render's catalogue: the request's, then.
    return context.get("_catalogue") or request_translations()


@pass_context
def template_gettext(context, string, /, **variables):
    """Jinja's newstyle gettext (autoescaped, always %-formatted), with the render's catalogue."""
    text = _catalogue(context).ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_context
def template_ngettext(context, singular, plural, num, /, **variables):
    """Jinja's newstyle ngettext (`num` available to the message), with the render's catalogue."""
    variables.setdefault("num", num)
    text = _catalogue(context).ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def euro(cents):
    """An amount stored in cents, as money in the user's language ("1.250,50 €")."""
    return "—" if cents is None else format_currency(Decimal(cents) / 100, "EUR")


def dec(value, places=4):
    """A Decimal with up to `places` decimals, in the user's language."""
    return "—" if value is None else format_decimal(value, "#,##0." + "#" * places)
