"""What other parts may ask of reports: their vocabularies, who sees which, reading them, moving their status.

Interventions resolve the reports they group, ALER acts on the ones passed to it, the maps and the
dashboard show them, the public form files them: all of it through these names.
"""
from fieldapp.reports.blueprint import FILERS, report_or_404, vocabularies
from fieldapp.reports.filters import can_see, form_values, from_args, scope
from fieldapp.reports.forms import StatusForm
from fieldapp.reports.mapping import build_map, map_labels
from fieldapp.reports.queries import count_by_status, insert_report, layer_version, map_layer, report, search_reports
from fieldapp.reports.routes import detail_page
from fieldapp.reports.vocab import AREAS, CATEGORIES, LOCATION_SOURCES, OPEN_STATUSES, SEVERITIES, SOURCES, STATUSES
from fieldapp.reports.workflow import (
                                    ALER_STAMPS,
                                    BY_ALER,
                                    TO_ALER,
                                    WORKFLOW_ROLES,
                                    StaleReport,
                                    TransitionError,
                                    set_status,
                                    transition,
)

__all__ = ["ALER_STAMPS", "AREAS", "BY_ALER", "CATEGORIES", "FILERS", "LOCATION_SOURCES", "OPEN_STATUSES",
           "SEVERITIES", "SOURCES", "STATUSES", "TO_ALER", "WORKFLOW_ROLES", "StaleReport", "StatusForm",
           "TransitionError", "build_map", "can_see", "count_by_status", "detail_page", "form_values", "from_args",
           "insert_report", "layer_version", "map_labels", "map_layer", "report", "report_or_404", "scope",
           "search_reports", "set_status", "transition", "vocabularies"]
