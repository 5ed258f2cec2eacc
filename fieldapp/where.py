"""The WHERE clause of a list's query, from the filters a person chose: one builder for every queries.py.

    where = Where("h.active = 1")
    where.when(presidio, "b.presidio_code = ?")          # left out when presidio is None or ""
    where.any_of("r.status", statuses)                   # left out when the list is empty
    where.like(q, "h.code LIKE ?")                       # %q%
    db.query(f"SELECT ... WHERE {where}", where.params)

Conditions are SQL written here, in the code; only values come from the person, always as parameters.
"""


class Where:
    def __init__(self, *always):
        self.conditions = list(always)
        self.params = []

    def add(self, condition, *params):
        """A condition that always applies."""
        self.conditions.append(condition)
        self.params += params
        return self

    def when(self, value, condition, *params):
        """`condition` if `value` was chosen (not None, not ""); its parameters default to the value itself."""
        if value is not None and value != "":
            self.add(condition, *(params or (value,)))
        return self

    def any_of(self, column, values):
        """`column IN (...)` for a non-empty list of chosen values."""
        values = list(values or ())
        if values:
            self.add(f"{column} IN ({', '.join('?' * len(values))})", *values)
        return self

    def like(self, text, condition):
        """`condition` with every ? bound to %text%, if some text was typed."""
        if text:
            self.add(condition, *[f"%{text}%"] * condition.count("?"))
        return self

    def __str__(self):
        return " AND ".join(self.conditions) or "1 = 1"

    def clause(self):
        """"WHERE ..." or nothing."""
        return f"WHERE {self}" if self.conditions else ""
