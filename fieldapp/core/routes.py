"""Home, health, language and the accessibility statement."""
from flask import current_app, jsonify, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fieldapp.access import ROLE_LABELS, ROLES, allow, public
from fieldapp.core.blueprint import bp
from fieldapp.db import healthy
from fieldapp.photos import store as photo_store
from fieldapp.redirects import next_or
from fieldapp.render import render

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
HOME["aler"] = ("governance.aler_home", {})
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
NAV += [
    ("governance.aler_home", _l("ALER coordination"), ("aler", "coordinator")),
    ("governance.exports", _l("Exports"), ("tutor", "operator", "community", "coordinator", "aler")),
]
NAV.insert(0, ("governance.dashboard", _l("Dashboard"), ("coordinator",)))
NAV += [("governance.close_index", _l("Period close"), ("coordinator",))]
NAV += [("public.api_keys", _l("Open311 API keys"), ("admin",)), ("admin.messages", _l("Outgoing e-mail"), ("admin",))]

# The phone's bottom bar: the four tasks each role uses most, (endpoint, short label, arguments).
# The rest of the role's NAV goes under "More". An entry shows only when its endpoint is installed
# and open to the role; missing ones are filled from NAV, in order, up to BAR_SIZE.
BAR_SIZE = 4
BAR = {
    "tutor": [("registry.household_list", _l("My households"), {}), ("visits.agenda", _l("Agenda"), {}),
              ("reports.report_new", _l("File a report"), {}), ("reports.my_reports", _l("My reports"), {})],
    "operator": [("reports.report_list", _l("Reports"), {"status": "new"}), ("maps.map_page", _l("Map"), {}),
                 ("interventions.intervention_list", _l("Interventions"), {}), ("interventions.week", _l("Week"), {})],
    "community": [("meetings.meeting_list", _l("Meetings"), {}), ("meetings.meeting_new", _l("New meeting"), {}),
                  ("pacts.pact_list", _l("Pacts"), {}), ("meetings.meeting_summary", _l("Summary"), {})],
    "coordinator": [("governance.dashboard", _l("Dashboard"), {}), ("registry.household_list", _l("Households"), {}),
                    ("reports.report_list", _l("Reports"), {}), ("governance.exports", _l("Exports"), {})],
    "equipe": [("arrears.caseload", _l("Cases"), {}), ("arrears.ledger_import", _l("Import"), {}),
               ("arrears.conference_list", _l("Conferences"), {}), ("heating.index", _l("Heating"), {})],
    # A session belongs to a plan, so "new session" starts from the plan; households are not the educator's.
    "educator": [("plans.plan_list", _l("Plans"), {}), ("plans.agenda", _l("Agenda"), {}),
                 ("plans.plan_new", _l("New plan"), {}), ("registry.household_list", _l("Households"), {})],
    "aler": [("governance.aler_home", _l("ALER coordination"), {}), ("governance.exports", _l("Exports"), {})],
    "admin": [("admin.user_list", _l("Users"), {}), ("admin.audit_log", _l("Audit log"), {}),
              ("admin.throttles", _l("Sign-in throttles"), {}),
              ("interventions.contractor_list", _l("Contractors"), {})],
}


def open_to(endpoint, role):
    """Whether the installed view at `endpoint` lets `role` in."""
    view = current_app.view_functions.get(endpoint)
    access = getattr(view, "access", ())
    return view is not None and (access == "public" or role in access)


def bar_for(role):
    """The bottom bar of a role: {"main": [(endpoint, label, args)], "more": [(endpoint, label)]}."""
    menu = [(e, label) for e, label, roles in NAV if role in roles and open_to(e, role)]
    main = [(e, label, args) for e, label, args in BAR.get(role, []) if open_to(e, role)]
    for endpoint, label in menu:
        if len(main) >= BAR_SIZE:
            break
        if endpoint not in {e for e, _label, _args in main}:
            main.append((endpoint, label, {}))
    shown = {e for e, _label, _args in main}
    more, seen = [], set(shown)
    for endpoint, label in menu:
        if endpoint not in seen:
            seen.add(endpoint)
            more.append((endpoint, label))
    return {"main": main, "more": more}


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

    def nav_bar():
        return bar_for(current_user.role) if current_user.is_authenticated else {"main": [], "more": []}

    return {"nav_items": nav_items, "nav_bar": nav_bar, "role_labels": ROLE_LABELS}


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
    ok = healthy()
    body = {"status": "ok" if ok else "error", "db": "ok" if ok else "error",
            "version": current_app.config["VERSION"]}
    # A photo store that cannot be reached degrades the app (uploads get 503) but does not stop it.
    body["photos"] = photo_store.health()
    if ok and body["photos"] != "ok":
        body["status"] = "degraded"
    return jsonify(body), 200 if ok else 503


@bp.post("/lang")
@public
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(next_or(request.form.get("next"), url_for("core.home")))


@bp.get("/accessibilita")
@public
def accessibility():
    return render("core/accessibility.html")
