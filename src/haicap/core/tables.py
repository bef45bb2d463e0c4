"""Reading the tables people upload (CSV in UTF-8, with or without a BOM, or XLSX): rows keyed
by the first row's headers, each with the line a person finds it on."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

Rows = list[tuple[int, dict[str, str]]]


def read_table(path: Path, *, lower_headers: bool = True) -> Rows:
    """(line number, row) for every non-empty row after the header; values trimmed."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheet = load_workbook(path, read_only=True, data_only=True).active
        lines = [
            (number, ["" if cell is None else str(cell).strip() for cell in row])
            for number, row in enumerate(
                sheet.iter_rows(values_only=True) if sheet is not None else [], start=1
            )
        ]
    else:
        reader = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
        lines = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    if not lines:
        return []
    header = [name.strip().lower() if lower_headers else name.strip() for name in lines[0][1]]
    return [(number, dict(zip(header, row, strict=False))) for number, row in lines[1:] if any(row)]
