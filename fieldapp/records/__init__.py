"""Field records: one rule for every record a phone sends (replay check, validation, stored once, the answer)."""
