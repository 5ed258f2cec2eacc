"""One household's data: everything held about it (GDPR art. 15) and its erasure (art. 17)."""
import csv
import io
import zipfile

from flask import current_app

from fieldapp import clock
from fieldapp.core.queries import audit
from fieldapp.photos import LocalPhotoStore
from fieldapp.privacy.retention import STATUTORY_TABLES, VISIT_BLANK, columns, locked_until, statutory_holds

# Tables erasure and export handle by name; any other table with a household column is found by it.
OWN_TABLES = ("households", "visits", "followups")


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
    out = io.StringIO()
    rows = [dict(r) for r in rows]
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


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


def erase(db, household):
    """Anonymise the household's personal records, keeping statutory ones; returns (done, kept) lines."""
    hid, code = household["id"], household["code"]
    holds = statutory_holds(db, household)
    done, kept = [], []
    with db.atomic():
        visits = list(db.query("SELECT uuid, visited_at FROM visits WHERE household_id = ?", [hid]))
        locked = [v["uuid"] for v in visits if locked_until(db, v["visited_at"])]
        free = [v["uuid"] for v in visits if v["uuid"] not in locked]
        for uuid in free:
            db.execute(f"UPDATE visits SET {VISIT_BLANK} WHERE uuid = ?", [uuid])
            db.execute("UPDATE followups SET action = '-', status = CASE status WHEN 'open' THEN 'cancelled' "
                       "ELSE status END WHERE visit_uuid = ?", [uuid])
            db.execute("UPDATE events SET note = NULL WHERE entity_id IN "
                       "(SELECT uuid FROM followups WHERE visit_uuid = ?)", [uuid])
        done.append(f"visits anonymised: {len(free)} (date, kind and head count kept for the programme's figures)")
        if locked:
            kept.append(f"visits kept unchanged: {len(locked)} (inside a locked reporting period)")
        tables = household_tables(db)
        if ("plan_persons", "household_id") in tables:
            # Educational plans are not statutory: their texts go even when money records are held,
            # and their rows stay (plans and sessions hang on the person) for the programme's figures.
            from fieldapp.plans.retention import erase_household as erase_plans

            plans, people = erase_plans(db, hid)
            if people:
                done.append(f"educational plans anonymised: {plans} (dates, domains, scores and sessions kept), "
                            f"people in plans unlinked from the household: {people}")
        for table, col in tables:
            if table in STATUTORY_TABLES or table in ("events", "audit_log", "plan_persons"):
                continue
            key = hid if col == "household_id" else code
            if holds:
                count = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {col} = ?", [key]).fetchone()[0]
                if count:
                    kept.append(f"{table}: {count} rows kept (they back the statutory records below)")
            else:
                count = db.execute(f"DELETE FROM {table} WHERE {col} = ?", [key]).rowcount
                if count:
                    done.append(f"{table}: {count} rows removed")
        for table, count, until in holds:
            kept.append(f"{table}: {count} rows kept until {until.isoformat()} "
                        f"(5 years from 31 December of the year of the last payment, Reg. (EU) 2021/1060 art. 82)")
        new_code = code if holds or locked else f"ERASED-{hid}"
        db.execute("UPDATE households SET code = ?, tutor_id = NULL, arrears_band = 'none', active = 0 "
                   "WHERE id = ?", [new_code, hid])
        done.append(f"household {'kept as ' + code + ' (statutory records name it)' if new_code == code else 'renamed ' + new_code}"
                    ", deactivated; flat and member count kept for aggregate counts")
        kept.append("audit log rows about the household: kept (append-only record of who read it, GDPR art. 5(2))")
        audit("household_erased", target=new_code, detail={"done": done, "kept": kept, "at": clock.now()}, db=db)
    return done, kept
