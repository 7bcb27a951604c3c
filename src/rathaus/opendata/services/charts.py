"""A simple chart for time series: the sum of the first count column per period, drawn as
bars in SVG on the server (no JavaScript; the same numbers follow as a table)."""

from collections import defaultdict

from ..models import Dataset, StoreRow

__all__ = ["MAX_ROWS", "time_series"]

TIME_TYPES = ("yearmonth", "year", "date")
NUMBER_TYPES = ("integer", "number")
MAX_ROWS = 100_000
MAX_BARS = 60
WIDTH, HEIGHT = 640, 220


def _pick(dataset: Dataset) -> tuple[dict, dict] | None:
    columns = dataset.current.columns
    time = next((c for c in columns if c["type"] in TIME_TYPES), None)
    if time is None:
        return None
    measures = [c for c in columns if c["name"] in dataset.measures]
    numbers = measures or [c for c in columns if c["type"] in NUMBER_TYPES]
    value = next((c for c in numbers if c["name"] != time["name"]), None)
    return (time, value) if value else None


def time_series(dataset: Dataset) -> dict | None:
    """Bars for the last ``MAX_BARS`` periods, or ``None`` when the table has no time column
    with numbers (or too many rows to sum on a page view). Suppressed cells count as 0, and
    the chart says so."""
    picked = _pick(dataset)
    if picked is None or dataset.current.row_count > MAX_ROWS:
        return None
    time, value = picked
    totals: dict[str, float] = defaultdict(float)
    gaps = False
    for data in (
        StoreRow.objects.filter(dataset=dataset)
        .values_list("data", flat=True)
        .iterator(chunk_size=5000)
    ):
        period, number = data.get(time["name"]), data.get(value["name"])
        if period is None:
            continue
        key = str(period)[:7] if time["type"] == "date" else str(period)
        if number is None:
            gaps = True
            totals[key] += 0
        else:
            totals[key] += number
    if len(totals) < 2:
        return None
    points = sorted(totals.items())[-MAX_BARS:]
    top = max(number for _key, number in points) or 1
    step = WIDTH / len(points)
    bars = [
        {
            "label": key,
            "value": round(number, 2),
            "x": round(index * step + step * 0.1, 1),
            "width": round(step * 0.8, 1),
            "height": round(number / top * (HEIGHT - 20), 1),
            "y": round(HEIGHT - number / top * (HEIGHT - 20), 1),
        }
        for index, (key, number) in enumerate(points)
    ]
    return {
        "time": time.get("title") or time["name"],
        "value": value.get("title") or value["name"],
        "bars": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "top": top,
        "gaps": gaps,
    }
