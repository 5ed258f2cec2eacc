"""A tutor's working set on the phone: their presidio's households list, each household and its visit form."""
import math

from flask import current_app, url_for

from fieldapp.registry import queries

MAX_HOUSEHOLDS = 2000


def tutor_pages(user):
    """The households of the tutor's presidio first: their pages matter most in a cellar."""
    if not user.presidio_code:
        return []
    households = queries.search_households(presidio_code=user.presidio_code, limit=MAX_HOUSEHOLDS)
    pages = max(1, math.ceil(len(households) / current_app.config["PAGE_SIZE"]))
    urls = [url_for("registry.household_list")]
    urls += [url_for("registry.household_list", page=n) for n in range(2, pages + 1)]
    for household in households:
        urls.append(url_for("registry.household_detail", household_id=household["id"]))
        urls.append(f"/households/{household['id']}/visits/new")  # the visit form's stable URL (DESIGN.md)
    return urls
