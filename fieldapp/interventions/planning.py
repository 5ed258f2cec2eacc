"""Choosing what to plan: the verified reports to pick from, the checks of a new intervention, the week."""
from collections import Counter
from datetime import time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from fieldapp.auth.api import users_by_role
from fieldapp.db import get_db, is_uuid, now
from fieldapp.fields import iso_day, whole_number
from fieldapp.interventions import queries, workflow
from fieldapp.interventions.forms import local_today
from fieldapp.interventions.vocab import KINDS, OPEN_STATUSES
from fieldapp.records.idempotency import content_hash
from fieldapp.registry import api as registry
from fieldapp.reports import api as report_api

# More verified reports than this at once means the operator should filter first.
PICKER_LIMIT = 200


class ReportPicker:
    """The verified reports the operator picks from, grouped by building; filtered by quartiere or building."""

    def __init__(self, args):
        quartiere, building = args.get("quartiere", ""), args.get("building", "")
        self.quartiere_id = whole_number(quartiere)
        self.building_id = whole_number(building)
        self.requested = [u for u in args.getlist("report") if is_uuid(u)]
        self.reports = report_api.search_reports(limit=PICKER_LIMIT, filters={
            "statuses": ["verified"], "quartiere_id": self.quartiere_id, "building_id": self.building_id})
        self.truncated = len(self.reports) > PICKER_LIMIT
        self.reports = self.reports[:PICKER_LIMIT]
        known = {r["uuid"] for r in self.reports}
        # Reports chosen elsewhere (the report page, the map) are offered even outside the filter.
        for uuid in self.requested:
            report = report_api.report(uuid)
            if uuid not in known and report and report["status"] == "verified":
                self.reports.append(report)

    def preselected(self):
        offered = {r["uuid"] for r in self.reports}
        return [uuid for uuid in self.requested if uuid in offered]

    def groups(self, selected):
        """[(building, reports)]: buildings with a selected report first, then by address."""
        selected = set(selected or [])
        by_building = {}
        for report in sorted(self.reports, key=lambda r: r["created_at"]):
            by_building.setdefault(report["building_id"], []).append(report)
        return sorted(
            ((rows[0], rows) for rows in by_building.values()),
            key=lambda group: (not any(r["uuid"] in selected for r in group[1]), group[0]["address"]))


def prepare_form(form, picker):
    """The choices of the planning form: active contractors, buildings, tutors."""
    def services(contractor):
        return ", ".join(str(KINDS[s]) for s in contractor["services"] if s in KINDS)

    form.contractor.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(c["id"]), f"{c['name']} ({services(c)})" if c["services"] else c["name"])
        for c in queries.contractors(active_only=True)]
    form.building.choices = [SelectChoice("", _("The building of the selected reports"))] + [
        SelectChoice(str(b["id"]), f"{b['address']} ({b['code']})") for b in registry.all_buildings()]
    form.tutor.choices = [SelectChoice("", _("Nobody"))] + [
        SelectChoice(str(t["id"]), t["display_name"]) for t in users_by_role("tutor")]
    form.reports.choices = [SelectChoice(r["uuid"], r["uuid"]) for r in picker.reports]


def suggest_defaults(form, picker):
    """A new form starts with a morning slot and the kind of work the chosen reports suggest."""
    form.time_from.data, form.time_to.data = time(8, 0), time(12, 0)
    categories = Counter(r["category"] for r in picker.reports if r["uuid"] in set(form.reports.data or []))
    if categories and not form.kind.data:
        form.kind.data = SUGGESTED_KIND.get(categories.most_common(1)[0][0], "")


# The kind of work that usually answers a report category.
SUGGESTED_KIND = {"waste": "clearance", "bulky": "bulky", "hygiene": "cleaning", "pests": "rodent_control",
                  "biological": "biological", "damage": "repair"}


def chosen_reports(form, picker):
    """The selected reports, each still verified; errors on the form otherwise."""
    uuids = list(dict.fromkeys(form.reports.data or []))
    if not uuids:
        form.reports.errors.append(_("Select at least one verified report."))
        return []
    reports = []
    for uuid in uuids:
        report = report_api.report(uuid) if is_uuid(uuid) else None
        if report is None or report["status"] != "verified":
            form.reports.errors.append(_("A selected report is no longer verified: someone planned or closed it. "
                                         "Choose again from the list."))
            return []
        reports.append(report)
    return reports


def check(form, reports):
    """The building (chosen, or the reports' own) and the reports far from it; errors on the form."""
    contractor_id = whole_number(str(form.contractor.data))
    contractor = queries.contractor(contractor_id) if contractor_id is not None else None
    if contractor is None:
        form.contractor.errors.append(_("Choose the contractor."))
    elif not contractor["active"]:
        form.contractor.errors.append(_("%(name)s is no longer an active contractor: choose another firm.",
                                        name=contractor["name"]))
    tutor = form.tutor.data
    if tutor and tutor not in {c.value for c in form.tutor.choices}:
        form.tutor.errors.append(_("Choose one of the listed tutors."))
    building = None
    if form.building.data:
        building_id = whole_number(str(form.building.data))
        building = registry.building(building_id) if building_id is not None else None
        if building is None:
            form.building.errors.append(_("Choose one of the listed buildings."))
    elif reports:
        most = Counter(r["building_id"] for r in reports).most_common(1)[0][0]
        building = registry.building(most)
    if building is None:
        if not form.building.errors and not form.reports.errors:
            form.building.errors.append(_("Choose the building."))
        return None, []
    distant = workflow.distant_reports(building, reports)
    if distant and not form.confirm_distant.data:
        form.form_errors.append(ngettext(
            "%(num)d of the selected reports is in a building more than %(m)d m from %(address)s. "
            "Plan it separately, or confirm below that one intervention should cover all the reports.",
            "%(num)d of the selected reports are in buildings more than %(m)d m from %(address)s. "
            "Plan them separately, or confirm below that one intervention should cover them all.",
            len(distant), m=workflow.NEARBY_METRES, address=building["address"]))
    return building, distant


def record_update(uuid, intervention_id, action, fields, client_created_at, photo_uuids=None, db=None):
    """The ledger row of a step or upload sent from a phone: a replay of it finds it and stores nothing."""
    queries.insert_update({
        "uuid": uuid, "intervention_id": intervention_id, "action": action, "photo_uuids": photo_uuids,
        "created_at": now(), "client_created_at": client_created_at, "created_by": current_user.id,
        "version": 1, "content_hash": content_hash(fields),
    }, db=db or get_db())


def week_start(value):
    """The Monday of the week holding `value` (a local date), or of this week."""
    day = iso_day(value) or local_today()
    return day - timedelta(days=day.weekday())


def is_overdue(intervention, today=None):
    today = today or local_today().isoformat()
    return intervention["status"] in OPEN_STATUSES and intervention["scheduled_on"] < today
