"""What other parts may ask of interventions: their vocabularies (ALER's page names the kinds and states)."""
from fieldapp.interventions.vocab import KINDS, STATUSES

__all__ = ["KINDS", "STATUSES"]
