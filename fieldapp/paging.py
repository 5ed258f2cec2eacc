"""Pagination by offset: fetch one row more than a page to know whether another follows."""
from dataclasses import dataclass

from flask import current_app, request

from fieldapp.fields import whole_number


@dataclass
class Page:
    number: int
    size: int
    rows: list
    has_next: bool

    @property
    def offset(self):
        return (self.number - 1) * self.size


def page_number():
    return whole_number(request.args.get("page", "1"), 1, 99_999) or 1


def paginate(fetch, **filters):
    """Call `fetch(limit=, offset=, **filters)` for the requested page and wrap the rows."""
    size = current_app.config["PAGE_SIZE"]
    number = page_number()
    rows = fetch(limit=size, offset=(number - 1) * size, **filters)
    return Page(number=number, size=size, rows=rows[:size], has_next=len(rows) > size)
