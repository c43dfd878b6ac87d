"""Wire-story copies (index/stories.py): copies group, related-but-different articles and
articles sharing only boilerplate do not, incremental updates equal a full recompute."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from index import stories
from index.stories import StoryGroups, StoryGroupsError

# A wire report as dpa might send it (German), one as Reuters might (English), and an
# article of the same German story written independently (same names, its own text).
DPA = """\
Bundesregierung einigt sich auf Entlastungspaket für Pendler

Berlin (dpa) - Die Bundesregierung hat sich nach wochenlangem Streit auf ein neues
Entlastungspaket für Pendlerinnen und Pendler geeinigt. Finanzminister Christian Lindner
sagte am Mittwoch in Berlin, die Pendlerpauschale werde vom kommenden Jahr an auf 38 Cent
je Kilometer angehoben, und zwar schon vom ersten Kilometer an. Die Grünen hatten zuvor
darauf bestanden, dass auch Geringverdiener profitieren, die keine Steuern zahlen.
Für sie soll es eine Mobilitätsprämie geben, die über das Finanzamt ausgezahlt wird.
Der Bund der Steuerzahler begrüßte die Einigung, mahnte aber eine dauerhafte Lösung an.
Die Opposition kritisierte, das Paket komme zu spät und sei sozial unausgewogen. Nach
Berechnungen des Finanzministeriums kostet die Anhebung den Bund und die Länder zusammen
rund 1,5 Milliarden Euro im Jahr. Der Bundestag soll das Gesetz noch vor der
Sommerpause beschließen, der Bundesrat muss ebenfalls zustimmen. Verkehrsminister Volker
Wissing kündigte an, parallel den Ausbau des Nahverkehrs im ländlichen Raum zu
beschleunigen, damit weniger Menschen auf das Auto angewiesen seien.
"""

DPA_OTHER_ARTICLE = """\
Lindner verteidigt Pendlerpauschale gegen Kritik

Berlin - Finanzminister Christian Lindner hat die höhere Pendlerpauschale gegen Kritik
aus den Ländern verteidigt. Im Interview mit unserer Zeitung sprach Lindner von einem
fairen Ausgleich für Menschen, die jeden Tag weite Wege zur Arbeit hätten. Die Länder
fürchten Ausfälle in Milliardenhöhe und verlangen einen Ausgleich vom Bund. Die Grünen
wiederum wollen die Mobilitätsprämie ausweiten. Verkehrsminister Volker Wissing setzt
auf einen schnelleren Ausbau von Bus und Bahn auf dem Land. Ob der Bundesrat dem Gesetz
zustimmt, gilt in Berlin als offen; mehrere Ministerpräsidenten haben Nachbesserungen
verlangt, bevor sie ihre Zustimmung geben.
"""

REUTERS = """\
Central bank holds rates steady, signals cuts later this year

FRANKFURT (Reuters) - The European Central Bank kept interest rates unchanged on Thursday
but signalled that it could begin cutting borrowing costs later this year if inflation
keeps easing toward its two percent target. President Christine Lagarde told reporters
that policymakers had not discussed the timing of a first cut in detail, adding that the
bank would remain data dependent. Inflation in the euro zone slowed to 2.6 percent in
February, the lowest reading in more than two years, while wage growth remained strong.
Economists polled by Reuters expect the first reduction in June, followed by two more
before the end of the year. Markets reacted calmly, with the euro slightly weaker against
the dollar after the announcement. Several governors have argued in recent weeks that
waiting too long risks damaging an economy that barely grew last year, while others warn
that services inflation remains stubbornly high and could rebound.
"""

FOOTER = """\
Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung der Rheinischen Rundschau
Verlagsgesellschaft mbH. Abonnieren Sie unseren Newsletter und erhalten Sie jeden Morgen
die wichtigsten Nachrichten aus der Region, aus Deutschland und der Welt direkt in Ihr
Postfach. Hinweise und Leserbriefe senden Sie bitte an die Redaktion am Rheinufer.
"""

OTHER_FOOTER = """\
Copyright Donau-Echo Medienhaus. Dieser Artikel wurde Ihnen von der Redaktion Wirtschaft
zur Verfügung gestellt; Nachdruck und Weitergabe an Dritte sind ohne unsere ausdrückliche
Zustimmung untersagt. Folgen Sie uns auch in den sozialen Netzwerken.
"""

_WORDS = sorted(set((DPA + DPA_OTHER_ARTICLE + REUTERS).split()))


def filler(seed: int, words: int = 120) -> str:
    """An article of its own: real words of the texts above in a seeded order, so no two
    share a 5-word sequence by more than chance."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def shortened(text: str, share: float = 0.6) -> str:
    words = text.split(" ")
    return " ".join(words[: int(len(words) * share)])


def reheadlined(text: str, headline: str) -> str:
    return headline + "\n\n" + text.split("\n", 2)[2]


def edited(text: str) -> str:
    """A few sentences changed: one dropped, one reworded, one added."""
    sentences = text.split(". ")
    sentences[3] = "Ein Sprecher des Ministeriums wollte sich dazu zunächst nicht äußern"
    del sentences[5]
    sentences.insert(7, "Die Einigung war in der Nacht nach zähen Verhandlungen erzielt worden")
    return ". ".join(sentences)


def corpus(extra: dict[str, tuple[str, int | None]], fillers: int = 40,
           footer: str | None = None) -> dict[str, tuple[str, int | None]]:
    docs: dict[str, tuple[str, int | None]] = {
        f"filler/{k:03d}.txt": (filler(k) + ("\n\n" + footer if footer else ""), 738000 + k)
        for k in range(fillers)
    }
    docs.update(extra)
    return docs


def build(extra: dict[str, tuple[str, int | None]], **kw: object) -> StoryGroups:
    return StoryGroups.build(corpus(extra, **kw))  # type: ignore[arg-type]


def test_shingles_are_stable_and_folded() -> None:
    a = stories.shingles("Die Bürgermeisterin von Köln äußerte sich am Montag")
    b = stories.shingles("die BUERGERMEISTERIN von Koeln aeusserte sich am Montag.")
    assert len(a) == 4 and np.array_equal(a, b)
    # A fixed value: the hash must not depend on the process (PYTHONHASHSEED).
    assert stories.shingles("Eins, zwei, drei, vier, fuenf!").tolist() == [8885682316451737366]
    assert stories.shingles("zu kurz hier").size == 0


def test_copies_group_with_the_earliest_as_representative() -> None:
    groups = build({
        "a/full.txt": (DPA, 738500),
        "b/short.txt": (shortened(DPA), 738500),  # same day, shorter: not the representative
        "c/headline.txt": (reheadlined(DPA, "Mehr Geld für Pendler ab Januar"), 738501),
        "d/footer.txt": (DPA + "\n\n" + OTHER_FOOTER, 738502),
        "e/edited.txt": (edited(DPA), 738503),
        "f/copy-of-short.txt": (shortened(shortened(DPA), 0.9), None),
    })
    rep = groups.group_of("b/short.txt")
    assert rep == "a/full.txt"
    assert groups.members(rep) == ("a/full.txt", "b/short.txt", "c/headline.txt",
                                   "d/footer.txt", "e/edited.txt", "f/copy-of-short.txt")
    assert groups.copies(rep) == 5
    assert groups.group_of("filler/001.txt") == "filler/001.txt"
    assert groups.copies("filler/001.txt") == 0


def test_earlier_copy_wins_over_longer_one() -> None:
    groups = build({"a/full.txt": (DPA, 738510), "b/short.txt": (shortened(DPA), 738500)})
    assert groups.group_of("a/full.txt") == "b/short.txt"


def test_english_copy_groups_and_stories_stay_apart() -> None:
    groups = build({
        "en/reuters.txt": (REUTERS, 738500),
        "en/short.txt": (shortened(REUTERS, 0.55), 738500),
        "de/dpa.txt": (DPA, 738500),
    })
    assert groups.members("en/reuters.txt") == ("en/reuters.txt", "en/short.txt")
    assert groups.copies("de/dpa.txt") == 0


def test_same_story_different_text_not_grouped() -> None:
    groups = build({"a/dpa.txt": (DPA, 738500), "b/own.txt": (DPA_OTHER_ARTICLE, 738500)})
    assert groups.copies("a/dpa.txt") == 0
    assert groups.group_of("b/own.txt") == "b/own.txt"


def test_shared_footer_alone_does_not_group() -> None:
    # 40 different short articles with the same long footer: the footer is common
    # (>= 30 articles) and left out, so nothing groups; the story copies still do.
    groups = build({"a/dpa.txt": (DPA + "\n\n" + FOOTER, 738500),
                    "b/dpa.txt": (shortened(DPA) + "\n\n" + FOOTER, 738501)},
                   fillers=40, footer=FOOTER)
    assert groups.groups() == {"a/dpa.txt": ("a/dpa.txt", "b/dpa.txt")}


def test_small_corpus_story_with_twelve_copies_groups() -> None:
    copies = {f"outlet{k:02d}/dpa.txt": (shortened(DPA, 0.6 + k / 40), 738500 + k)
              for k in range(12)}
    groups = build(copies, fillers=288)
    assert groups.copies("outlet00/dpa.txt") == 11


def test_too_few_own_shingles_stay_alone() -> None:
    groups = build({"a.txt": ("Das Wetter morgen: sonnig bei 20 Grad, im Süden", 1),
                    "b.txt": ("Das Wetter morgen: sonnig bei 20 Grad, im Süden", 2)})
    assert groups.copies("a.txt") == 0


def test_incremental_update_equals_full_recompute() -> None:
    docs = corpus({
        "a/full.txt": (DPA, 738500), "b/short.txt": (shortened(DPA), 738501),
        "c/reuters.txt": (REUTERS, 738500),
    })
    full = StoryGroups.build(docs)
    first = {k: v for k, v in docs.items() if k not in ("b/short.txt", "filler/003.txt")}
    first["x/gone.txt"] = (reheadlined(REUTERS, "Rates on hold"), 738400)
    inc = StoryGroups.build(first, common=full.common)
    assert inc.group_of("c/reuters.txt") == "x/gone.txt"
    changed = inc.update({"b/short.txt": docs["b/short.txt"],
                          "filler/003.txt": docs["filler/003.txt"]}, removed=["x/gone.txt"])
    assert changed == {"a/full.txt", "x/gone.txt", "c/reuters.txt", "filler/003.txt"}
    assert inc.groups() == full.groups()
    assert {d: inc.group_of(d) for d in docs} == {d: full.group_of(d) for d in docs}
    assert "x/gone.txt" not in inc


def test_changed_article_is_regrouped() -> None:
    groups = build({"a.txt": (DPA, 1), "b.txt": (shortened(DPA), 2)})
    assert groups.update({"b.txt": (REUTERS, 2)}) == {"a.txt", "b.txt"}
    assert groups.copies("a.txt") == 0 and len(groups) == 42


def test_stale_when_corpus_doubled() -> None:
    groups = StoryGroups.build(corpus({}, fillers=40))
    assert not groups.stale
    groups.update({f"new/{k}.txt": (filler(1000 + k), None) for k in range(50)})
    assert groups.stale


def test_persistence_round_trip(tmp_path: Path) -> None:
    groups = build({"a/full.txt": (DPA, 738500), "b/short.txt": (shortened(DPA), None),
                    "ü/ß.txt": (edited(DPA), 738499),
                    "\udcff\n.txt": (REUTERS, 1)}, footer=FOOTER)
    groups.save(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["stories.npz"]  # no temporary left
    back = StoryGroups.load(tmp_path)
    assert back.groups() == groups.groups() == {
        "ü/ß.txt": ("a/full.txt", "b/short.txt", "ü/ß.txt")}
    assert np.array_equal(back.common, groups.common) and len(back.common) > 0
    assert back.frozen_at == groups.frozen_at
    assert back.group_of("\udcff\n.txt") == "\udcff\n.txt"  # undecodable file name kept
    # The loaded state keeps working incrementally.
    back.update({"c/more.txt": (shortened(DPA, 0.7), 738498)})
    assert back.group_of("b/short.txt") == "c/more.txt"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing-array", "wrong-shape",
                                    "pickled", "bad-ids"])
def test_damaged_file_gives_one_line(tmp_path: Path, damage: str) -> None:
    groups = build({"a.txt": (DPA, 1), "b.txt": (shortened(DPA), 2)})
    path = groups.save(tmp_path)
    if damage == "garbage":
        path.write_bytes(b"\x00not a zip file at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    else:
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
        if damage == "missing-array":
            del arrays["sigs"]
        elif damage == "bad-ids":
            arrays["ids"] = np.full(len(arrays["ids"]), 0xFF, dtype=np.uint8)
        elif damage == "wrong-shape":
            arrays["sigs"] = arrays["sigs"][:, :10]
        else:
            arrays["ids"] = np.array([object()] * len(arrays["ids_end"]), dtype=object)
        with zipfile.ZipFile(path, "w"):
            pass
        np.savez(path, **arrays)  # type: ignore[arg-type]
    with pytest.raises(StoryGroupsError) as err:
        StoryGroups.load(tmp_path)
    assert "\n" not in str(err.value) and "stories.npz" in str(err.value)


def test_missing_file_gives_one_line(tmp_path: Path) -> None:
    with pytest.raises(StoryGroupsError, match="not built yet"):
        StoryGroups.load(tmp_path)


def test_article_quoting_a_third_of_a_report_is_not_a_copy() -> None:
    # Its own text plus a third of the report: containment ~0.3, below 0.5, while a
    # shortened copy's is ~1 (the pairs are handed to the confirmation step directly, as
    # LSH may or may not make them candidates).
    words = DPA.split(" ")
    quoting = DPA_OTHER_ARTICLE + " " + filler(7, 60) + " " + " ".join(words[: len(words) // 3])
    sets = [stories.shingles(t) for t in (DPA, quoting, shortened(DPA))]
    sigs = np.stack([stories.signature(s) for s in sets])
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    pairs = np.array([[0, 1], [0, 2]], dtype=np.int64)
    assert stories.confirmed(sigs, sizes, pairs).tolist() == [[0, 2]]
