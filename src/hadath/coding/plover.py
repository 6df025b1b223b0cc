"""PLOVER types and modes, ACLED event types, CAMEO → PLOVER: one loader over coding.yaml.

The tables are small and read by builders and tests (to validate lexicon
entries) and by coders that need to check a (type, mode, cameo, acled) tuple.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hadath.lexicon.resources import source


@dataclass(frozen=True, slots=True)
class Coding:
    types: tuple[str, ...]
    modes: dict[str, tuple[str, ...]]  # type → allowed modes; absent types allow none
    acled: dict[str, tuple[str, ...]]  # ACLED event type → its sub-event types
    cameo: dict[str, str]  # CAMEO code → PLOVER type

    def valid_mode(self, event_type: str, mode: str | None) -> bool:
        return mode is None or mode in self.modes.get(event_type, ())

    def valid_acled(self, event_type: str, sub_event_type: str) -> bool:
        return sub_event_type in self.acled.get(event_type, ())

    def cameo_type(self, code: str) -> str | None:
        """The PLOVER type of a CAMEO code, falling back to its parent codes."""
        while code:
            if code in self.cameo:
                return self.cameo[code]
            code = code[:-1]
        return None


@cache
def coding() -> Coding:
    data = source("coding.yaml")
    return Coding(
        types=tuple(data["types"]),
        modes={t: tuple(m) for t, m in data["modes"].items()},
        acled={t: tuple(s) for t, s in data["acled"].items()},
        cameo={str(k): v for k, v in data["cameo"].items()},
    )
