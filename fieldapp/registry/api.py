"""What other parts may ask of the registry: places, households and buildings, and who may see them."""
from fieldapp.registry.blueprint import HOUSEHOLD_ROLES, building_or_404, household_or_404, visible_presidio
from fieldapp.registry.queries import all_buildings, building, household, presidi, quartieri, search_households
from fieldapp.registry.vocab import ARREARS_BANDS, OWNERS, PILOT_AREAS

__all__ = ["ARREARS_BANDS", "HOUSEHOLD_ROLES", "OWNERS", "PILOT_AREAS", "all_buildings", "building", "building_or_404",
           "household", "household_or_404", "presidi", "quartieri", "search_households", "visible_presidio"]
