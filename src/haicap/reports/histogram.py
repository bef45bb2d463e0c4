"""Processing times as a histogram in working days, so a percentile adds up across days and
units: each daily row keeps how many dossiers fell in each bucket.

Buckets are a quarter of a working day wide up to 5 days, half a day up to 20, then wider;
a percentile is read by linear interpolation inside its bucket (exact to the bucket width).
"""

from __future__ import annotations

from collections.abc import Sequence

# Upper bounds (working days) of every bucket but the last, which is open-ended.
BOUNDS: tuple[float, ...] = (
    *(i / 4 for i in range(1, 21)),  # 0.25 … 5
    *(5 + i / 2 for i in range(1, 31)),  # 5.5 … 20
    25.0,
    30.0,
    45.0,
    60.0,
    90.0,
)
BUCKETS = len(BOUNDS) + 1


def bucket_sql(days: str) -> str:
    """The 1-based bucket of a number of working days (SQL)."""
    bounds = ", ".join(repr(bound) for bound in BOUNDS)
    return f"(width_bucket({days}, ARRAY[{bounds}]::float8[]) + 1)"


def spread_sql(count: str, bucket: str) -> str:
    """An int[] of ``count`` summed per value of ``bucket`` (SQL aggregate over rows that
    are already grouped by bucket, so each row adds to one element)."""
    return (
        "ARRAY["
        + ", ".join(
            f"COALESCE(sum({count}) FILTER (WHERE {bucket} = {i}), 0)"
            for i in range(1, BUCKETS + 1)
        )
        + "]::int[]"
    )


def sum_sql(column: str) -> str:
    """Bucket-by-bucket sums of an int[] column (SQL aggregate)."""
    return (
        "ARRAY["
        + ", ".join(f"COALESCE(sum({column}[{i}]), 0)" for i in range(1, BUCKETS + 1))
        + "]::bigint[]"
    )


def empty() -> list[int]:
    return [0] * BUCKETS


def add(total: list[int], more: Sequence[int]) -> list[int]:
    return [a + b for a, b in zip(total, more or empty(), strict=True)]


def percentile(histogram: Sequence[int], share: float) -> float | None:
    """The working days below which ``share`` of the dossiers finished (None: no dossier)."""
    total = sum(histogram)
    if total == 0:
        return None
    wanted = share * total
    seen = 0
    for index, count in enumerate(histogram):
        if count and seen + count >= wanted:
            low = BOUNDS[index - 1] if index > 0 else 0.0
            if index >= len(BOUNDS):
                return low  # the open-ended last bucket: at least this long
            return round(low + (BOUNDS[index] - low) * (wanted - seen) / count, 2)
        seen += count
    return BOUNDS[-1]
