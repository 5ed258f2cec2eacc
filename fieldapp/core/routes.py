"""Home, health, language and the accessibility statement."""
from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user

from fieldapp import photostore
from fieldapp.access import ROLE_LABELS, ROLES, allow, public
from fieldapp.core.queries import database_ok
from fieldapp.render import render

bp = Blueprint("core", __name__)

# Where each role starts its day: (endpoint, arguments).
HOME = {
    "tutor": ("registry.household_list", {}),
    "coordinator": ("registry.household_list", {}),
    "operator": ("reports.report_list", {"status": "new"}),
    "community": ("meetings.meeting_list", {}),
    "admin": ("admin.user_list", {}),
    "educator": ("plans.plan_list", {}),
}
HOME["equipe"] = ("arrears.caseload", {})
HOME["coordinator"] = ("governance.dashboard", {})

# The main menu, in the order each role uses it most: (endpoint, label, roles).
NAV = [
    ("registry.household_list", _l("My households"), ("tutor",)),
    ("registry.household_list", _l("Households"), ("coordinator",)),
    ("visits.agenda", _l("Agenda"), ("tutor", "coordinator")),
    ("meetings.meeting_list", _l("Meetings"), ("community",)),
    ("reports.report_new", _l("Report a problem"), ("tutor", "community")),
    ("reports.my_reports", _l("My reports"), ("tutor", "community")),
    ("reports.report_list", _l("Reports"), ("operator", "coordinator", "community")),
    ("maps.map_page", _l("Map"), ("tutor", "operator", "community", "coordinator")),
    ("interventions.intervention_list", _l("Interventions"), ("operator", "coordinator", "tutor")),
    ("interventions.contractor_list", _l("Contractors"), ("operator", "admin")),
    ("meetings.meeting_list", _l("Meetings"), ("tutor", "coordinator")),
    ("registry.building_list", _l("Buildings"), ("tutor", "operator", "community", "coordinator")),
    ("reports.report_new", _l("Report a problem"), ("operator", "coordinator")),
    ("admin.user_list", _l("Users"), ("admin",)),
    ("admin.audit_log", _l("Audit log"), ("admin", "coordinator")),
    ("admin.throttles", _l("Sign-in throttles"), ("admin",)),
    ("heating.index", _l("Heating contributions"), ("equipe", "coordinator")),
    ("energy.observatory_page", _l("Energy observatory"), ("equipe", "coordinator")),
    ("plans.plan_list", _l("Individual plans"), ("educator", "coordinator")),
    ("plans.agenda", _l("Plan agenda"), ("educator",)),
    ("pacts.pact_list", _l("Community pacts"), ("community", "coordinator", "tutor")),
]
NAV += [
    ("arrears.caseload", _l("Arrears"), ("equipe", "coordinator")),
    ("arrears.ledger_import", _l("Ledger import"), ("equipe",)),
    ("arrears.conference_list", _l("Case conferences"), ("equipe", "coordinator")),
    ("arrears.indicators", _l("Arrears indicators"), ("equipe", "coordinator")),
]
NAV.insert(0, ("governance.dashboard", _l("Dashboard"), ("coordinator",)))
NAV += [("governance.close_index", _l("Period close"), ("coordinator",))]
NAV += [("public.api_keys", _l("Open311 API keys"), ("admin",))]


@bp.app_context_processor
def navigation():
    def nav_items():
        if not current_user.is_authenticated:
            return []
        # The same for every user of a role and language: built once per worker, labels translated.
        key = (current_user.role, str(get_locale()))
        built = current_app.extensions.setdefault("cortile.nav", {})
        if key not in built:
            endpoints = current_app.view_functions
            built[key] = [(e, str(label)) for e, label, roles in NAV
                          if current_user.role in roles and e in endpoints]
        return built[key]

    return {"nav_items": nav_items, "role_labels": ROLE_LABELS}


@bp.get("/")
@public
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    endpoint, arguments = HOME.get(current_user.role, ("core.start", {}))
    if endpoint not in current_app.view_functions:
        endpoint, arguments = "core.start", {}
    return redirect(url_for(endpoint, **arguments))


@bp.get("/start")
@allow(*ROLES)
def start():
    """The landing page of a role whose own area is not in this installation: the menu, or a note."""
    return render("core/start.html")


@bp.get("/healthz")
@public
def healthz():
    ok = database_ok()
    body = {"status": "ok" if ok else "error", "db": "ok" if ok else "error",
            "version": current_app.config["VERSION"]}
    # A photo store that cannot be reached degrades the app (uploads get 503) but does not stop it.
    body["photos"] = photostore.health()
    if ok and body["photos"] != "ok":
        body["status"] = "degraded"
    return jsonify(body), 200 if ok else 503


@bp.post("/lang")
@public
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    target = request.form.get("next") or ""
    # Only local paths: never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("core.home")
    return redirect(target)


@bp.get("/accessibilita")
@public
def accessibility():
    return render("core/accessibility.html")
