"""A small known data set for the governance dashboard: March 2021 (and one visit in March 2020).

The demo data starts in 2023, so in these months every figure comes from the rows below.
Building 6 is in presidio P-BLO (quartiere 5, pilot area Borgo Loreto); building 1 in P-CEN (quartiere 16).
"""
import uuid

P_BLO_BUILDING, P_CEN_BUILDING = 6, 1


def _id():
    return str(uuid.uuid4())


def household_of(db, building_id):
    return db.execute("""SELECT h.id FROM households h JOIN units u ON u.id = h.unit_id
                         WHERE u.building_id = ? AND h.active = 1 ORDER BY h.id LIMIT 1""", [building_id]).fetchone()[0]


def load(db):
    """Insert the rows; returns what the tests need to know about them."""
    user = db.execute("SELECT id FROM users WHERE username = 'coordinatrice'").fetchone()[0]
    h1, h2 = household_of(db, P_BLO_BUILDING), household_of(db, P_CEN_BUILDING)
    stamp = "2021-03-01T08:00:00Z"

    def visit(household, at, kind):
        db["visits"].insert({"uuid": _id(), "household_id": household, "visited_at": at, "kind": kind,
                             "outcome": "held", "created_at": stamp, "created_by": user})

    visit(h1, "2021-03-02T10:00", "financial")
    visit(h1, "2021-03-09T10:00", "financial")
    visit(h1, "2021-03-31T23:30", "energy")  # the last local minutes of the month still count
    visit(h2, "2021-03-15T10:00", "energy")
    visit(h2, "2021-04-01T00:10", "energy")  # April: not counted
    visit(h1, "2020-03-10T10:00", "financial")  # the year before
    db["arrears_contacts"].insert({"household_id": h2, "contacted_on": "2021-03-10", "channel": "phone",
                                   "outcome": "reached", "created_at": stamp, "created_by": user})
    anchor = _id()
    visit_uuid = db.execute("SELECT uuid FROM visits WHERE visited_at = '2021-03-02T10:00'").fetchone()[0]

    def followup(due, status, done_at=None):
        db["followups"].insert({"uuid": _id(), "visit_uuid": visit_uuid, "household_id": h1, "action": "call",
                                "due_on": due, "assignee_id": user, "status": status, "done_at": done_at,
                                "created_at": stamp, "created_by": user})

    followup("2021-03-05", "done", "2021-03-05T20:00:00Z")  # 21:00 in Cremona: on time
    followup("2021-03-10", "done", "2021-03-10T23:30:00Z")  # 00:30 on the 11th in Cremona: late
    followup("2021-03-20", "open")  # overdue
    followup("2021-03-25", "cancelled")  # not counted

    b = next(db.query("SELECT lat, lon FROM buildings WHERE id = ?", [P_BLO_BUILDING]))

    def report(created_at, status):
        ref = _id()
        db["reports"].insert({"uuid": ref, "building_id": P_BLO_BUILDING, "area": "courtyard", "category": "waste",
                              "severity": "minor", "status": status, "lat": b["lat"], "lon": b["lon"],
                              "location_source": "building", "created_at": created_at, "created_by": user})
        return ref

    report("2021-03-01T09:00:00Z", "new")
    direct = report("2021-03-02T09:00:00Z", "resolved")
    through = report("2021-03-05T10:00:00Z", "resolved")
    for ref, at in ((direct, "2021-03-04T09:00:00Z"), (through, "2021-03-15T10:00:00Z")):
        db["events"].insert({"entity": "report", "entity_id": ref, "at": at, "user_id": user,
                             "from_status": "in_progress", "to_status": "resolved"})
    contractor = db.execute("SELECT id FROM contractors ORDER BY id LIMIT 1").fetchone()[0]
    intervention = db["interventions"].insert({
        "uuid": _id(), "kind": "repair", "contractor_id": contractor, "building_id": P_BLO_BUILDING,
        "scheduled_on": "2021-03-15", "time_from": "09:00", "time_to": "11:00", "actual_cost_cents": 12345,
        "status": "done", "done_at": "2021-03-15T10:00:00Z", "created_at": stamp, "created_by": user}).last_pk
    db["intervention_reports"].insert({"intervention_id": intervention, "report_uuid": through})
    db["meetings"].insert({"uuid": anchor, "context": "borgo_loreto", "held_on": "2021-03-12", "start_time": "18:00",
                           "duration_minutes": 90, "place": "Sala civica", "kind": "assembly",
                           "participants_public_housing": 10, "participants_services": 2,
                           "created_at": stamp, "created_by": user})
    return {"h1": h1, "h2": h2}
