"""Registry pages: the tutor's households with live search, household and building pages."""
from flask import request
from flask_login import current_user

from fieldapp import panels
from fieldapp.access import STAFF, allow, can_see_household
from fieldapp.audit import audit, audited_recently, audits_together
from fieldapp.fields import whole_number
from fieldapp.fragments import Lazy, data_version
from fieldapp.paging import paginate
from fieldapp.registry import queries
from fieldapp.registry.blueprint import HOUSEHOLD_ROLES, bp, building_or_404, household_or_404, visible_presidio
from fieldapp.registry.vocab import ARREARS_BANDS, OWNERS, PILOT_AREAS
from fieldapp.render import render


@bp.get("/households/")
@allow(*HOUSEHOLD_ROLES)
def household_list():
    q = request.args.get("q", "").strip()[:80]
    mine = request.args.get("mine") == "1"
    presidio = visible_presidio()
    # The rows are a cached fragment (fieldapp.fragments): the version is read before the rows, and the
    # query runs only when the fragment is not cached for this scope, request and version.
    version = data_version("registry")
    page = Lazy(lambda: paginate(
        queries.search_households, q=q, presidio_code=presidio, tutor_id=current_user.id if mine else None,
    ))
    # The list shows names of households: logged, once per user, query and minute (not per keystroke).
    detail = {"q": q, "presidio": presidio, "mine": mine}
    if not audited_recently("household_list_read", current_user.id, detail):
        audit("household_list_read", target=None, detail=detail)
    return render(
        "registry/households.html", "registry/_household_rows.html",
        page=page, q=q, mine=mine, presidio=presidio, arrears_bands=ARREARS_BANDS, registry_version=version,
        # Only the coordinator picks a presidio.
        presidi=queries.presidi() if current_user.role != "tutor" else [],
    )


@bp.get("/households/<int:household_id>")
@allow(*HOUSEHOLD_ROLES)
def household_detail(household_id):
    household = household_or_404(household_id)
    with audits_together():  # the page's read and its sections' (the timeline logs its own)
        audit("household_read", target=household["code"])
        sections = panels.for_page("household", household)
    return render("registry/household.html", household=household, arrears_bands=ARREARS_BANDS, panels=sections)


@bp.get("/buildings/")
@allow(*STAFF)
def building_list():
    q = request.args.get("q", "").strip()[:80]
    quartiere = whole_number(request.args.get("quartiere", ""))
    page = paginate(queries.search_buildings, q=q, quartiere_id=quartiere,
                    presidio_code=request.args.get("presidio") or None)
    return render(
        "registry/buildings.html", "registry/_building_rows.html",
        page=page, q=q, quartiere=quartiere, quartieri=queries.quartieri(), owners=OWNERS,
    )


@bp.get("/buildings/<int:building_id>")
@allow(*STAFF)
def building_detail(building_id):
    building = building_or_404(building_id)
    units = queries.units_with_households(building_id)
    show_households = can_see_household(current_user, building["presidio_code"])
    if show_households:
        audit("building_households_read", target=building["code"])
    return render(
        "registry/building.html", building=building, units=units, show_households=show_households,
        owners=OWNERS, pilot_areas=PILOT_AREAS, arrears_bands=ARREARS_BANDS,
        panels=panels.for_page("building", building),
    )
