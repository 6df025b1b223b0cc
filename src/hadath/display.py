"""Terminal views: an events table and per-field explanations.

Terminals lay text out left to right; Arabic must be reordered to visual order
(Unicode bidi algorithm, python-bidi) or it reads backwards. `--format table`
and `hadath explain` do that; JSON output keeps the logical order.
"""

from __future__ import annotations

from typing import TextIO

from bidi import get_display
from rich.console import Console
from rich.table import Table

from hadath.records import Actor, ArticleRecord, Event


def rtl(text: str | None) -> str:
    return get_display(text) if text else ""


def _actors(actors: list[Actor]) -> str:
    return "\n".join(f"{a.name} [{a.country or '?'}/{a.sector or '?'}] {rtl(a.text)}" for a in actors)


def _casualties(e: Event) -> str:
    parts = []
    for kind in ("killed", "injured", "arrested", "missing", "displaced"):
        c = getattr(e.casualties, kind)
        if c:
            extra = "".join(f" {k} {getattr(c, k)}" for k in ("children", "women") if getattr(c, k) is not None)
            q = "" if c.qualifier == "exact" else f" ({c.qualifier})"
            parts.append(f"{kind} {c.value}{q}{extra}")
    return "\n".join(parts)


def print_table(record: ArticleRecord, out: TextIO) -> None:
    console = Console(file=out, width=160, force_terminal=False)
    title = f"{record.article.id}  {rtl(record.article.title)}"
    if record.error:
        console.print(f"{title}\n  error: {record.error}")
        return
    table = Table(title=title, show_lines=True)
    for col in ("id", "type", "source", "target", "where", "when", "casualties", "trigger", "conf"):
        table.add_column(col)
    for e in record.events:
        when = ""
        if e.date:
            when = e.date.start if e.date.end == e.date.start else f"{e.date.start}..{e.date.end}"
        where = f"{e.location.name} {rtl(e.location.text)}" if e.location else ""
        table.add_row(e.id, f"{e.event_type}\n{e.mode or ''}", _actors(e.source), _actors(e.target), where, when,
                      _casualties(e), rtl(e.evidence.trigger), f"{e.confidence:.2f}")
    console.print(table)
    for w in record.warnings:
        console.print(f"warning: {w}")


def print_explanation(record: ArticleRecord, out: TextIO) -> None:
    w = out.write
    w(f"article {record.article.id}\n")
    if record.error:
        w(f"  error: {record.error}\n")
    for warning in record.warnings:
        w(f"  warning: {warning}\n")
    for e in record.events:
        w(f"\n{e.id} {e.event_type} ({e.mode or '-'}, CAMEO {e.cameo or '-'}) confidence {e.confidence:.2f}\n")
        w(f"  trigger     «{rtl(e.evidence.trigger)}» at {list(e.evidence.trigger_span)}: "
          f"{', '.join(x.rule for x in e.why if x.rule.startswith('trigger'))}\n")
        w(f"  sentence    {rtl(e.evidence.sentence)}\n")
        for side in ("source", "target"):
            for a in getattr(e, side):
                w(f"  {side:<11} {a.name} [{a.country}/{a.sector}] «{rtl(a.text)}» {list(a.span)}: "
                  f"{a.why.rule if a.why else ''}\n")
        roles = [x.rule for x in e.why if x.rule.startswith(("source", "target"))]
        if roles:
            w(f"  roles by    {', '.join(dict.fromkeys(roles))}\n")
        # who decided: the hand rules, or the learned models (their probability and strongest features)
        learned = [x.rule for x in e.why if x.rule.startswith(("event:model:", "sides:model:", "type:model:"))]
        w(f"  decided by  {'the event models: ' + ' | '.join(learned) if learned else 'the rules'}\n")
        if e.location:
            w(f"  location    {e.location.name} ({e.location.lat}, {e.location.lon}) «{rtl(e.location.text)}»: "
              f"{e.location.why.rule if e.location.why else ''}\n")
        if e.date:
            rule = e.date.why.rule if e.date.why else ""
            w(f"  date        {e.date.start}..{e.date.end} «{rtl(e.date.text)}»: {rule}\n")
        for kind in ("killed", "injured", "arrested", "missing", "displaced"):
            c = getattr(e.casualties, kind)
            if c:
                w(f"  {kind:<11} {c.value} {c.qualifier} children={c.children} women={c.women} «{rtl(c.text)}»\n")
        if e.attribution:
            sp = e.attribution.speaker.name if e.attribution.speaker else "-"
            w(f"  attribution {sp} via {e.attribution.channel}\n")
