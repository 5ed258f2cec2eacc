"""What other parts may ask of visits: their vocabularies (the exports label visits and follow-ups with them)."""
from fieldapp.visits import vocab

__all__ = ["vocab"]
