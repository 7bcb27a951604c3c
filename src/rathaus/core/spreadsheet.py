"""CSV files for staff and residents who open them in Excel or LibreOffice."""

import csv
import io
from collections.abc import Iterable

__all__ = ["FORMULA_START", "defuse", "spreadsheet_csv"]

# A spreadsheet runs a cell that starts like this as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> str:
    """The cell as text that Excel and LibreOffice show, never run: a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def spreadsheet_csv(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """UTF-8 with BOM and ``;`` between columns, as German Excel opens it with a double
    click; every cell defused."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(defuse(cell) for cell in header)
    writer.writerows((defuse(cell) for cell in row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
