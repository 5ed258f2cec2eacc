"""The audit page's vocabulary and filters: readable labels, local periods, names behind the hashes."""
from datetime import UTC, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from fieldapp import clock, sheets
from fieldapp.audit import USER_TARGETS, pseudonym
from fieldapp.db import get_db
from fieldapp.fields import iso_day

ACTIONS = {
    "api_key_issued": _l("Open311 API key issued"),
    "api_key_revoked": _l("Open311 API key revoked"),
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_locked": _l("Sign-in refused (throttled)"),
    "logout": _l("Signed out"),
    "signed_out_everywhere": _l("Signed out on every device"),
    "user_created": _l("User created"),
    "user_updated": _l("User changed"),
    "user_signed_out_everywhere": _l("User signed out by an administrator"),
    "user_deactivated": _l("User deactivated"),
    "user_reactivated": _l("User reactivated"),
    "user_password_reset": _l("Password reset"),
    "throttle_cleared": _l("Sign-in throttle cleared"),
    "account_email_changed": _l("E-mail settings changed by their owner"),
    "message_sent_again": _l("Failed e-mail sent again"),
    "user_handover": _l("Open work handed over to a successor"),
    "household_read": _l("Household page read"),
    "household_list_read": _l("Household list or search read"),
    "building_households_read": _l("Households of a building read"),
    "visit_read": _l("Visit read"),
    "visit_form_read": _l("New-visit form opened"),
    "visit_edit_read": _l("Visit opened for editing"),
    "visit_edited": _l("Visit changed"),
    "visit_history_read": _l("Visit history read"),
    "agenda_read": _l("Agenda read"),
    "access_refused": _l("Access refused (other presidio)"),
    "export": _l("Export"),
    "period_locked": _l("Period closed"),
    "period_reopened": _l("Period reopened"),
    "targets_set": _l("Targets set"),
    "targets_imported": _l("Targets imported"),
    "rates_set": _l("Hourly rates set"),
    "audit_exported": _l("Audit log exported"),
    "retention_applied": _l("Retention applied"),
    "household_erased": _l("Household erased"),
    "household_exported": _l("Household data exported (access request)"),
    "arrears_case_read": _l("Arrears: case read"),
    "arrears_caseload_read": _l("Arrears: caseload read"),
    "arrears_conference_read": _l("Arrears: case conference read"),
    "arrears_minutes_pdf": _l("Arrears: minutes printed"),
    "arrears_plan_pdf": _l("Arrears: repayment plan printed"),
    "arrears_plan_read": _l("Arrears: repayment plan read"),
    "ledger_import": _l("Rent ledger imported"),
    "heating_degree_days": _l("Heating: degree days recorded"),
    "heating_compute": _l("Heating: contributions computed"),
    "heating_export_csv": _l("Heating: CSV exported"),
    "heating_export_determina": _l("Heating: determina exported"),
    "heating_export_reconciliation": _l("Heating: reconciliation exported"),
    "heating_export_xlsx": _l("Heating: spreadsheet exported"),
    "heating_export_letters": _l("Heating: letters exported"),
    "heating_season_settings": _l("Heating: season settings changed"),
    "heating_contribution_read": _l("Heating: contribution read"),
    "heating_household_data": _l("Heating: household data changed"),
    "heating_household_read": _l("Heating: household data read"),
    "heating_determina": _l("Heating: determina drawn up"),
    "heating_credited": _l("Heating: determina credited"),
    "heating_recovery": _l("Heating: recovery recorded"),
    "heating_recovery_collected": _l("Heating: recovery collected"),
    "heating_recovery_offset": _l("Heating: recovery offset"),
    "heating_season_closed": _l("Heating: season closed"),
    "heating_settlement": _l("Heating: case to check settled"),
    "heating_export_ledger": _l("Heating: payments ledger exported"),
    "heating_export_recoveries": _l("Heating: recoveries exported"),
    "heating_export_notices": _l("Heating: recovery notices exported"),
    "heating_import_bills": _l("Heating: bills imported"),
    "heating_import_readings": _l("Heating: readings imported"),
    "heating_import_household_data": _l("Heating: household data imported"),
    "pact_printed": _l("Pact printed"),
    "plan_agenda_read": _l("Plans: agenda read"),
    "plan_closed": _l("Plans: plan closed"),
    "plan_created": _l("Plans: plan created"),
    "plan_flag_read": _l("Plans: household flag read"),
    "plan_indicators_read": _l("Plans: indicators read"),
    "plan_list_read": _l("Plans: list read"),
    "plan_read": _l("Plans: plan read"),
    "plans_anonymised": _l("Plans: anonymised"),
}


# Actions whose target and detail name no household (accounts, periods, exports, settings): what the
# administrator may read of a row. Any other action's target and detail (household and person codes,
# visits, plans, cases) stay with the coordinators and the data-protection officer's export.
ADMIN_READABLE = frozenset(USER_TARGETS | {
    "account_email_changed", "api_key_issued", "api_key_revoked", "audit_exported", "export", "ledger_import",
    "message_sent_again", "period_locked", "period_reopened", "rates_set", "retention_applied", "targets_imported",
    "targets_set", "user_handover", "heating_compute", "heating_credited", "heating_degree_days",
    "heating_determina", "heating_season_closed", "heating_season_settings"})


def for_admin(rows):
    """The rows as the administrator sees them: the action and who, not which household it was about."""
    return [row if row["action"] in ADMIN_READABLE else {**row, "target": None, "detail": None} for row in rows]


def label(action):
    return str(ACTIONS.get(action, action))


def known_names():
    """Keyed hash -> username, for the accounts that exist; other hashes stay unreadable."""
    return {pseudonym(row["username"]): row["username"] for row in get_db().query("SELECT username FROM users")}


def utc_bound(day):
    """Local midnight at the start of `day`, as the UTC string of the *_at columns."""
    return clock.iso(datetime.combine(day, time(0), tzinfo=clock.local_zone()))


def parse_filters(args):
    """The query-string filters as recent_audit keywords, and the errors of malformed ones."""
    filters, errors = {}, []
    if args.get("user", "").strip():
        filters["username"] = args["user"].strip()
    if args.get("action") in ACTIONS:
        filters["action"] = args["action"]
    if args.get("household", "").strip():
        filters["target"] = args["household"].strip().upper()
    for key, shift in (("from", 0), ("to", 1)):
        value = args.get(key, "").strip()
        if not value:
            continue
        day = iso_day(value)
        if day is None:
            errors.append(key)
            continue
        filters["since" if key == "from" else "until"] = utc_bound(day + timedelta(days=shift))
    return filters, errors


def local_time(value):
    """A stored UTC timestamp as local 'YYYY-MM-DD HH:MM:SS' (Europe/Rome unless configured)."""
    moment = datetime.strptime(value, clock.ISO).replace(tzinfo=UTC) if value else None
    return moment.astimezone(clock.local_zone()).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def to_csv(rows):
    """The rows as CSV (`sheets.csv_bytes`) for the DPO: local time, user (name when known), action code and label."""
    names = known_names()
    return sheets.csv_bytes([
        ["id", "local_time", "utc_time", "user", "action", "action_label", "target", "detail", "ip"],
        *([row["id"], local_time(row["at"]), row["at"], names.get(row["username"], row["username"] or ""),
           row["action"], label(row["action"]), names.get(row["target"], row["target"] or ""), row["detail"] or "",
           row["ip"] or ""] for row in rows)])
