"""Home visits and their follow-ups: the tutor's field log, the household timeline and the agenda."""
