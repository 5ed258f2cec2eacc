"""Closed vocabularies of the registry, with their interface labels."""
from flask_babel import lazy_gettext as _l

ARREARS_BANDS = {
    "none": _l("No arrears"),
    "upto_500": _l("Up to 500 EUR"),
    "500_2000": _l("500 to 2,000 EUR"),
    "over_2000": _l("Over 2,000 EUR"),
}
OWNERS = {"comune": _l("Comune"), "aler": _l("ALER")}
PILOT_AREAS = {
    "borgo_loreto": _l("Borgo Loreto"),
    "pagliari": _l("Largo Pagliari 13 / via Altobello Melone 22"),
}
