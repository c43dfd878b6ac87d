"""Measure :mod:`index.compounds` on the hand-written gold list.

Two figures, as decompounding is judged in IR: **recall** on compounds (the
split yields the expected parts; a looser figure counts only the head, the part
readers search for most) and **precision** on words that must stay whole
(prefix derivations, ``-ung``/``-heit`` words, simple words, names): the share
left unsplit. Parts are compared the way the index sees them, after folding
and stemming, so ``Bundes`` and ``Bund`` are the same part.

Run ``python -m index.compounds_eval`` (``-v`` lists every miss).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.analysis import fold_german, stemmer_for
from index.compounds import split_compound

#: Ships with the package (package data), like the dates' gold sets.
GOLD_PATH = Path(__file__).resolve().parent / "gold" / "compounds_gold.yaml"


@dataclass
class Quality:
    """The figures and the misses behind them."""

    compounds: int = 0
    split_right: int = 0
    head_right: int = 0
    whole: int = 0
    kept_whole: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.split_right / self.compounds if self.compounds else 0.0

    @property
    def head_recall(self) -> float:
        return self.head_right / self.compounds if self.compounds else 0.0

    @property
    def precision(self) -> float:
        return self.kept_whole / self.whole if self.whole else 0.0


def _term(word: str) -> str:
    """A word as the index stores it: lower case, folded, stemmed."""
    return str(stemmer_for("de").stemWord(fold_german(word.lower())))


def split_terms(word: str) -> list[str] | None:
    """The index terms of *word*'s parts, or None when it is not split."""
    parts = split_compound(fold_german(word.lower()))
    return [_term(p) for _, p in parts] if parts else None


def _score(compounds: list[dict[str, Any]], whole: list[str]) -> Quality:
    q = Quality()
    for item in compounds:
        q.compounds += 1
        want = [_term(p) for p in item["parts"]]
        got = split_terms(item["word"])
        if got == want:
            q.split_right += 1
        else:
            q.misses.append(f"compound {item['word']}: want {want}, got {got}")
        if got and got[-1] == want[-1]:
            q.head_right += 1
    for word in whole:
        q.whole += 1
        got = split_terms(word)
        if got is None:
            q.kept_whole += 1
        else:
            q.misses.append(f"whole {word}: split into {got}")
    return q


def evaluate(path: Path = GOLD_PATH) -> dict[str, Quality]:
    """Score the splitter on the gold list at *path*: ``tuned`` (the lists the
    word list was developed against), ``heldout`` (written later; its misses were
    seen before the list was extended) and ``heldout2`` (written after that, not
    used to change anything: the estimate for words nobody looked at)."""
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        "tuned": _score(gold["compounds"], gold["whole"]),
        "heldout": _score(gold["heldout_compounds"], gold["heldout_whole"]),
        "heldout2": _score(gold["heldout2_compounds"], gold["heldout2_whole"]),
    }


def format_report(result: dict[str, Quality], verbose: bool = False) -> str:
    """The figures as printed by ``python -m index.compounds_eval``."""
    lines: list[str] = []
    for name, q in result.items():
        lines += [
            f"{name}: compounds split right {q.split_right}/{q.compounds} "
            f"(recall {q.recall:.3f}), right head {q.head_right}/{q.compounds} "
            f"({q.head_recall:.3f}); non-compounds kept whole {q.kept_whole}/{q.whole} "
            f"(precision {q.precision:.3f})",
        ]
        if verbose:
            lines += [f"  {m}" for m in q.misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(format_report(evaluate(), verbose="-v" in args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
