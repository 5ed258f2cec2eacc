"""One household's data: everything held about it (GDPR art. 15) and its erasure (art. 17)."""
import zipfile

from flask import current_app

from fieldapp import clock, sheets
from fieldapp.area import installed
from fieldapp.audit import audit
from fieldapp.lifecycle import StatutoryHold, columns, held_until, household_key, rows_of, table_exists
from fieldapp.photos import LocalPhotoStore

# Tables the export writes by name; any other table with a household column is found by it.
OWN_TABLES = ("households", "visits", "followups")
# Tables that name a household but belong to no one's records: the log of who read it, state changes.
SHARED_TABLES = {"events", "audit_log"}
# A table no area declares backs money paid when it has one of these.
PAYMENT_DATES = ("paid_on", "paid_at", "credited_at")


def household_by_code(db, code):
    return next(db.query("SELECT * FROM households WHERE code = ?", [code.strip()]), None)


def household_tables(db):
    """(table, column) of every other table that names a household by id or code."""
    found = []
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
        if name in OWN_TABLES or name.startswith(("sqlite_", "_")):
            continue
        cols = columns(db, name)
        for col in ("household_id", "household_code"):
            if col in cols:
                found.append((name, col))
                break
    return found


def _csv(rows):
    """The rows under a header of their columns, through the one writer (empty file for no rows)."""
    rows = [dict(r) for r in rows]
    return sheets.csv_bytes([list(rows[0]), *(list(r.values()) for r in rows)]) if rows else b""


def export(db, household, out_path):
    """Write the ZIP of CSVs and photos; returns the file names in it. The export is audited."""
    hid, code = household["id"], household["code"]
    visits = list(db.query("SELECT * FROM visits WHERE household_id = ? ORDER BY visited_at", [hid]))
    followups = list(db.query("SELECT * FROM followups WHERE household_id = ? ORDER BY due_on", [hid]))
    uuids = [v["uuid"] for v in visits] + [f["uuid"] for f in followups]
    marks = ",".join("?" * len(uuids)) or "NULL"
    files = {
        "household.csv": _csv(db.query(
            """SELECT h.code, h.members, h.arrears_band, h.heating_eligible, h.active, b.code AS building,
                      b.address, u.scala, u.piano, u.interno, t.display_name AS tutor
               FROM households h JOIN units u ON u.id = h.unit_id JOIN buildings b ON b.id = u.building_id
               LEFT JOIN users t ON t.id = h.tutor_id WHERE h.id = ?""", [hid])),
        "visits.csv": _csv(visits),
        "followups.csv": _csv(followups),
        "followup_events.csv": _csv(db.query(
            f"SELECT entity, entity_id, at, from_status, to_status, note FROM events "
            f"WHERE entity_id IN ({marks}) ORDER BY at", uuids)),
        # Who consulted the record, and when (names are keyed hashes in the log).
        "access_log.csv": _csv(db.query(
            "SELECT at, action, username FROM audit_log WHERE target = ? ORDER BY id", [code])),
    }
    for table, col in household_tables(db):
        if table in ("events", "audit_log"):
            continue
        rows = list(db.query(f"SELECT * FROM {table} WHERE {col} = ?", [hid if col == "household_id" else code]))
        if rows:
            files[f"{table}.csv"] = _csv(rows)
    store = LocalPhotoStore(current_app.config["PHOTOS_DIR"])
    photos = list(db.query(f"SELECT * FROM photos WHERE owner_id IN ({marks})", uuids)) if uuids else []
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        if photos:
            archive.writestr("photos.csv", _csv(photos))
        for photo in photos:
            path = store.path(photo["sha256"])
            if path.is_file():
                archive.write(path, f"photos/{photo['uuid']}.jpg")
        names = archive.namelist()
    audit("household_exported", target=code, detail={"files": len(names), "photos": len(photos)}, db=db)
    return names


def statutory_holds(db, household):
    """(table, rows, kept until) for each table backing money paid that holds rows of this household.

    The areas declare theirs (`Area.statutory`); a table no area declares counts when it has a payment date.
    """
    declared = {hold.table: hold for area in installed(current_app) for hold in area.statutory}
    for table, _column in household_tables(db):
        if table not in declared and set(PAYMENT_DATES) & set(columns(db, table)):
            key = household_key(db, table, household)[0]
            declared[table] = StatutoryHold(table, key, PAYMENT_DATES)
    holds = []
    for hold in declared.values():
        if table_exists(db, hold.table):
            value = household["id"] if hold.key == "household_id" else household["code"]
            found = held_until(db, hold.table, hold.key, value, hold.dated)
            if found:
                holds.append((hold.table, *found))
    return holds


def erase(db, household):
    """Anonymise the household's personal records, keeping statutory ones; returns (done, kept) lines.

    Each area erases its own records (`Area.erasure`), the dependents first and the registry, which
    owns the household, last; a table no area declares loses the household's rows unless a hold keeps them.
    """
    holds = statutory_holds(db, household)
    areas = installed(current_app)
    declared = {t for area in areas for step in area.erasure for t in step.tables}
    statutory = {hold.table for area in areas for hold in area.statutory} | {table for table, _n, _u in holds}
    done, kept = [], []
    with db.atomic():
        others = [t for t, _c in household_tables(db) if t not in declared | statutory | SHARED_TABLES]
        steps = [rows_of(*others)] + [step for area in reversed(areas) for step in area.erasure]
        for step in steps:
            held = bool(holds) or bool(kept)
            step_done, step_kept = step.run(db, household, held)
            done += step_done
            kept += step_kept
        for table, count, until in holds:
            kept.append(f"{table}: {count} rows kept until {until.isoformat()} "
                        f"(5 years from 31 December of the year of the last payment, Reg. (EU) 2021/1060 art. 82)")
        kept.append("audit log rows about the household: kept (append-only record of who read it, GDPR art. 5(2))")
        audit("household_erased", target=db.execute("SELECT code FROM households WHERE id = ?",
                                                     [household["id"]]).fetchone()[0],
              detail={"done": done, "kept": kept, "at": clock.now()}, db=db)
    return done, kept
