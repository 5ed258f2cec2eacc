"""What other parts may ask of meetings: their vocabularies (the exports label meetings with them)."""
from fieldapp.meetings import vocab

__all__ = ["vocab"]
