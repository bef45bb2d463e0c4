"""The figures kept current: a refresh every minute, run by `haicap worker`."""

from __future__ import annotations

from procrastinate.contrib.django import app

from haicap.reports.aggregate import refresh


@app.periodic(cron="* * * * *", queueing_lock="reports-refresh")
@app.task(name="haicap.reports.refresh", queue="reports")
def refresh_figures(timestamp: int) -> dict[str, float]:
    """Recount the days whose dossiers or ratings changed since the last refresh."""
    result = refresh()
    return {"keys": result.keys, "rows": result.rows, "seconds": round(result.seconds, 2)}
