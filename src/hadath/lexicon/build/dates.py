"""Compile dates.yaml: month names of three calendars, weekdays, relative-day words."""

from __future__ import annotations

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key as nk


def _months(data: dict) -> dict[str, list]:
    """name -> [calendar, month]; "g" Gregorian (incl. Levantine names), "h" Hijri."""
    out: dict[str, list] = {}
    for section, calendar in (("gregorian_months", "g"), ("levantine_months", "g"), ("hijri_months", "h")):
        for name, month in data[section].items():
            key = nk(name)
            if key in out and out[key] != [calendar, month]:
                raise ValueError(f"month name {key!r} means two months")
            out[key] = [calendar, month]
    return dict(sorted(out.items()))


_MONTH_SECTIONS = {"gregorian_months", "levantine_months", "hijri_months"}


def build() -> dict:
    data = source("dates.yaml")
    table: dict = {"months": _months(data)}
    for name, value in data.items():
        if name in _MONTH_SECTIONS:
            continue
        if isinstance(value, list):
            table[name] = sorted({nk(w) for w in value})
        elif name == "unit_days":
            table[name] = dict(sorted(value.items()))
        else:  # word -> label
            table[name] = {nk(k): v for k, v in sorted(value.items())}
    return table
