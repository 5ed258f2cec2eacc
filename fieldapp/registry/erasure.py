"""A household's own row on erasure: deactivated, its code kept only while records name it."""
from fieldapp.lifecycle import ErasureStep


def retire(db, household, held):
    """The last step of an erasure: the flat and member count stay for aggregate counts."""
    code = household["code"] if held else f"ERASED-{household['id']}"
    db.execute("UPDATE households SET code = ?, tutor_id = NULL, arrears_band = 'none', active = 0 WHERE id = ?",
               [code, household["id"]])
    kept = f"kept as {code} (statutory records name it)" if held else f"renamed {code}"
    return [f"household {kept}, deactivated; flat and member count kept for aggregate counts"], []


ERASURE = ErasureStep(("households",), retire)
