"""The app as served in production, plus a bare endpoint: the baseline that does no work."""
from fieldapp import create_app
from fieldapp.access import public

app = create_app()


@app.get("/_bare")
@public
def bare():
    return "ok"
