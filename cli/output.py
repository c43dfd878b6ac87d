"""What the command line prints: the result listing for a terminal (bold red matches,
only when stdout is a colour terminal) and the JSON lines scripts read.

Kept apart from the commands so the contract scripts rely on (one JSON object per
line, the keys of :meth:`Hit.to_json` and friends) is written in one place. No Textual.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any


def json_line(record: Any) -> None:
    """One JSON value on one line of stdout (UTF-8 text kept as it is, not escaped)."""
    print(json.dumps(record, ensure_ascii=False))


def json_lines(records: Iterable[Any]) -> None:
    """One line per record."""
    for record in records:
        json_line(record)


def color() -> bool:
    """Colour only for a terminal that wants it (``NO_COLOR``, ``TERM=dumb`` and pipes
    get plain text)."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def mark(text: str, spans: Sequence[Sequence[int]], color: bool) -> str:
    """*text* with the matched *spans* in bold red (unchanged without colour)."""
    if not color or not spans:
        return text
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(f"\x1b[1;31m{text[s:e]}\x1b[0m")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def index_summary(report: Any, index_dir: str, as_json: bool) -> None:
    """What ``dossier index`` did: one line of prose, or with ``--json`` one object
    (the background update of the TUI reads that object, never the prose)."""
    kind = "rebuilt" if report.rebuilt else "updated"
    if not as_json:
        print(f"{kind} {index_dir} in {report.seconds:.1f}s: {report.summary()}")
        return
    json_line({
        "status": "ok", "rebuilt": report.rebuilt, "index": index_dir,
        "added": report.added, "updated": report.updated, "removed": report.removed,
        "unchanged": report.unchanged, "skipped": len(report.skipped),
        "warnings": len(report.warnings), "seconds": round(report.seconds, 3),
        "summary": report.summary(),
    })


def index_failure(message: str, locked: bool) -> None:
    """``dossier index --json`` that could not run: the object says why (exit code 1)."""
    json_line({"status": "locked" if locked else "failed", "error": message})


def hits(result: Any) -> None:
    """The search result listing: path, id, date and source; title; snippets; and the
    count line on stderr (so ``| head`` keeps only hits)."""
    use_color = color()
    for hit in result.hits:
        date = hit.date.isoformat() if hit.date else "undated"
        where = " · ".join(x for x in (date, hit.source or hit.agency or "") if x)
        path = f"\x1b[35m{hit.path}\x1b[0m" if use_color else hit.path
        print(f"{path}  [{hit.doc_id}]  {where}")
        print(f"  {mark(hit.title, hit.title_spans, use_color)}")
        for sn in hit.snippets:
            print(f"    …{mark(sn.text, sn.spans, use_color)}…")
        print()
    line = f"{result.total} match{'es' if result.total != 1 else ''} ({result.elapsed_ms:.0f} ms)"
    if result.partial:
        line += "; stopped at the time limit, more may match"
    if result.suggestion:
        line += f"; did you mean: {result.suggestion}"
    if result.notice:
        line += f"; {result.notice}"
    print(line, file=sys.stderr)


def article(art: Any, spans: Sequence[Sequence[int]]) -> None:
    """One article for reading: title, date with where it came from, source, text."""
    date = art.date.isoformat() if art.date else "undated"
    print(f"{art.title}")
    print(f"{date} ({art.date_origin or 'no date in the text'}) · {art.source or '-'} · "
          f"{art.language} · {art.path}")
    for note in art.date_notes:
        print(f"note: {note}")
    print()
    print(mark(art.text, spans, color()))


def timeline_json(tl: Any) -> None:
    """The histogram as one object: granularity, buckets, undated counts."""
    json_line({
        "granularity": tl.granularity,
        "buckets": [{"start": b.start.isoformat(), "end": b.end.isoformat(),
                     "label": b.label, "hits": b.hits, "total": b.total}
                    for b in tl.buckets],
        "undated_hits": tl.undated_hits,
        "undated_total": tl.undated_total,
        "total_hits": tl.total_hits,
    })


def timeline(tl: Any, mentions: Sequence[Any], events: bool) -> None:
    """The histogram as bars (hits of the query over all articles), then the mentions."""
    peak = max((b.total for b in tl.buckets), default=0) or 1
    for b in tl.buckets:
        if not b.total:
            continue
        bar = "█" * round(40 * b.hits / peak)
        rest = "░" * (round(40 * b.total / peak) - len(bar))
        print(f"{b.label:>10} {bar}{rest} {b.hits}/{b.total}")
    for b in tl.coarse:
        # Mentions of a whole month or year: at their own precision, not on a day.
        print(f"{b.label:>10} {'▒' * max(1, round(40 * b.hits / peak))} {b.hits}/{b.total}"
              f" (whole {_precision_word(b.label)})")
    label = "no dates" if events else "undated"
    print(f"{label:>10} {tl.undated_hits}/{tl.undated_total}")
    for m in mentions:
        when = m.value or (m.start.isoformat() if m.start else "?")
        print(f"{when:>10}  {m.expression!r} [{m.doc_id}] {m.sentence}")


def _precision_word(label: str) -> str:
    """"2018" -> "year", "2021-01" -> "month", "2021-W02" -> "week", "1940-SU" -> "season"."""
    if "-W" in label:
        return "week"
    if label[5:6].isalpha():
        return "season"
    return "month" if "-" in label else "year"
