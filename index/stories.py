"""Wire-story copies: articles that are one agency report printed by several outlets.

Why: the same dpa/APA story, shortened, re-headlined or given another outlet's footer,
shows up once per outlet in every result list. Grouping the copies lets a list show the
story once ("+3 copies") and a timeline count stories instead of printings.

How (Broder's near-duplicate detection, made cheap with numpy):

- **Shingles**: word 5-grams over lower-cased words folded the German way
  (:func:`index.analysis.fold_for`, so "Müller", "Mueller" and "Muller" meet; English words
  are unaffected by that folding except for the same umlaut spellings). Each word is hashed
  with ``zlib.crc32`` and five word hashes are combined and mixed to 64 bits in numpy:
  stable across processes, unlike ``hash()`` (PYTHONHASHSEED).
- **Common shingles** (outlet footers, "Alle Rechte vorbehalten", newsletter boxes) are left
  out: a shingle in at least ``max(COMMON_MIN_DF, COMMON_SHARE * N)`` articles says "same
  outlet", not "same story". The floor of 30 keeps a story with a dozen copies in a small
  corpus intact; the share keeps a big corpus from treating a 40-outlet wire story as
  boilerplate. The set is frozen when the groups are built from scratch and kept for
  incremental updates; :attr:`StoryGroups.stale` says when the corpus has doubled or halved
  since, so the caller rebuilds from all texts.
- **MinHash** with :data:`NUM_PERM` permutations, **LSH** with :data:`BANDS` bands of
  :data:`ROWS` rows: two rows per band makes a candidate of any pair whose Jaccard
  similarity is above ~0.2 with near certainty, which a shortened copy needs (a copy of
  the first 60% has Jaccard 0.6 with the whole, one of the first third only 0.33).
- **Confirmation** by containment ``|A∩B| / min(|A|, |B|) >= CONTAINMENT``, estimated from
  the signatures and the set sizes (``|A∩B| = J (|A| + |B|) / (1 + J)``): Jaccard alone
  punishes a shortened copy, containment does not. Estimating it from the signatures
  means nothing but the signatures is kept, and an incremental update decides every pair
  exactly as a full recompute does.
- **Groups** are the connected components of confirmed pairs (union-find). The
  representative is the earliest published copy; ties go to the longest (most complete)
  text, then to the smallest id.

Persistence: one ``.npz`` file in a folder the caller gives, written atomically (temporary
file + ``os.replace``) and loaded with ``allow_pickle=False``; a damaged file gives
:class:`StoryGroupsError` with a one-line message and the caller recomputes.
"""

from __future__ import annotations

import os
import re
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.analysis import fold_for

SHINGLE_WORDS = 5
NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS
CONTAINMENT = 0.5
#: An article with fewer non-common shingles (about 12 words of its own) stays alone:
#: two short notices ("Das Wetter: sonnig, 20 Grad") say nothing about being one story.
MIN_SHINGLES = 8
COMMON_MIN_DF = 30
COMMON_SHARE = 0.002
#: Above this many articles the document frequency is counted over a deterministic sample
#: (every k-th article by id) so that memory stays bounded (about 60 MB of shingles).
DF_SAMPLE = 20_000
#: A bucket larger than this is not paired all with all: each member is paired with the
#: next MAX_WINDOW members in signature order, which still links every copy into the group.
MAX_WINDOW = 64
_DF_PARTS = 16
FILE_NAME = "stories.npz"
FORMAT_VERSION = 1
#: Date ordinal of an undated article: after every real date, so it is never preferred.
UNDATED = np.iinfo(np.int64).max

_WORD_RE = re.compile(r"\w+")
_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
# Multipliers of the shingle combine and the splitmix64 finalizer (Steele et al.).
_COMBINE = _U64(0x9E3779B97F4A7C15)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)

U64Array = npt.NDArray[np.uint64]
U32Array = npt.NDArray[np.uint32]


class StoryGroupsError(Exception):
    """The stored groups could not be read; ``str()`` is one line for the user."""


def _mix64(x: U64Array) -> U64Array:
    """splitmix64's finalizer: spreads every input bit over all 64 output bits."""
    x = (x ^ (x >> _U64(30))) * _MIX1
    x = (x ^ (x >> _U64(27))) * _MIX2
    return x ^ (x >> _U64(31))


def shingles(text: str) -> U64Array:
    """The sorted, distinct 64-bit hashes of the word 5-grams of *text*.

    Words are folded before hashing, so spelling variants of one wire report (umlauts
    written ``ae``, capitals in a headline) give the same shingles. Fewer than five words
    give an empty array.
    """
    words = _WORD_RE.findall(text.lower())
    n = len(words) - SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.fromiter(
        (zlib.crc32(fold_for("de", w).encode("utf-8", "surrogatepass")) for w in words),
        dtype=np.uint64,
        count=len(words),
    )
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE_WORDS):
            acc = (acc ^ h[k : k + n]) * _COMBINE + _U64(k + 1)
        return np.unique(_mix64(acc))


def _permutations() -> tuple[U64Array, U64Array]:
    """The fixed MinHash permutations: odd 64-bit multipliers and offsets from a seeded
    generator, the same in every process and version of the file."""
    rng = np.random.Generator(np.random.PCG64(20240101))
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * _U64(2) + _U64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    return a, b


_PERM_A, _PERM_B = _permutations()


def signature(sh: U64Array) -> U32Array:
    """The MinHash signature of a shingle set: for each permutation ``x -> (a x + b) >> 32``
    (multiply-shift hashing mod 2**64), the smallest value. 32 bits per value halve the
    memory; two distinct shingles collide with probability 2**-32."""
    if len(sh) == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        v = (sh[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) >> _U64(32)
    return v.min(axis=0).astype(np.uint32)


def common_threshold(n: int) -> int:
    """The document frequency from which a shingle is boilerplate, for *n* articles."""
    return max(COMMON_MIN_DF, int(np.ceil(COMMON_SHARE * n)))


def common_shingles(sets: Iterable[U64Array], n: int, sampled: int | None = None) -> U64Array:
    """The shingles of *sets* found in at least :func:`common_threshold` of *n* articles.

    *sets* holds the shingle sets of all *n* articles, or of a sample of *sampled* of them;
    then the threshold is scaled to the sample (never below 2).
    """
    arrays = [s for s in sets if len(s)]
    threshold = common_threshold(n)
    if sampled is not None and sampled < n:
        threshold = max(2, int(np.ceil(threshold * sampled / n)))
    found: list[U64Array] = []
    # Counted in 16 slices by the top four bits of the hash, so the temporary memory is a
    # sixteenth of the shingles, not several times all of them (np.unique's sort copies).
    for part in range(_DF_PARTS):
        lo, hi = _U64(part << 60), _U64(((part + 1) << 60) - 1)
        chunk = np.concatenate([s[np.searchsorted(s, lo):np.searchsorted(s, hi, "right")]
                                for s in arrays]) if arrays else np.empty(0, np.uint64)
        if len(chunk) == 0:
            continue
        chunk.sort()
        starts = np.flatnonzero(np.concatenate(([True], chunk[1:] != chunk[:-1])))
        counts = np.diff(np.append(starts, len(chunk)))
        found.append(chunk[starts[counts >= threshold]])
    return np.concatenate(found) if found else np.empty(0, dtype=np.uint64)


class _UnionFind:
    """Union-find over 0..n-1 with path halving; the root is the smallest index."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            if ri < rj:
                self.parent[rj] = ri
            else:
                self.parent[ri] = rj


def candidate_pairs(sigs: U32Array) -> npt.NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, of rows of *sigs* equal in at least one LSH band.

    Per band the rows are sorted by the band's key; rows with the same key sit next to
    each other, so comparing each row with the next ``w`` rows for growing ``w`` finds
    every pair of a bucket without a Python loop over buckets.
    """
    n = len(sigs)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    found: list[npt.NDArray[np.int64]] = []
    for band in range(BANDS):
        # One band at a time, widened to 64 bits: 8 bytes per article of temporary memory.
        key = sigs[:, band * ROWS].astype(np.uint64)
        for r in range(1, ROWS):
            key = (key << _U64(32)) | sigs[:, band * ROWS + r].astype(np.uint64)
        order = np.argsort(key, kind="stable")
        sk = key[order]
        for w in range(1, min(MAX_WINDOW, n - 1) + 1):
            same = np.flatnonzero(sk[w:] == sk[:-w])
            if len(same) == 0:
                break
            i, j = order[same], order[same + w]
            found.append(np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    return np.unique(pairs, axis=0)


def confirmed(sigs: U32Array, sizes: npt.NDArray[np.int64],
              pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The *pairs* whose estimated containment reaches :data:`CONTAINMENT`."""
    if len(pairs) == 0:
        return pairs
    keep: list[npt.NDArray[np.int64]] = []
    for start in range(0, len(pairs), 50_000):  # bounded temporary memory (~15 MB)
        p = pairs[start : start + 50_000]
        i, j = p[:, 0], p[:, 1]
        jac = (sigs[i] == sigs[j]).mean(axis=1)
        si, sj = sizes[i].astype(np.float64), sizes[j].astype(np.float64)
        inter = jac * (si + sj) / (1.0 + jac)
        small = np.minimum(si, sj)
        ok = (small >= MIN_SHINGLES) & (inter >= CONTAINMENT * small)
        keep.append(p[ok])
    return np.concatenate(keep)


class StoryGroups:
    """The copy groups of a corpus, updated incrementally and kept in one file.

    Per article only its MinHash signature, its count of non-common shingles, its date
    ordinal and its text length are kept (about 290 bytes), so an update needs the texts of
    the added articles only.
    """

    def __init__(self, common: U64Array | None = None, frozen_at: int = 0) -> None:
        self.common: U64Array = (np.empty(0, dtype=np.uint64) if common is None
                                 else np.unique(common.astype(np.uint64)))
        #: Articles in the corpus when the common set was computed (see :attr:`stale`).
        self.frozen_at = frozen_at
        self._ids: list[str] = []
        self._sigs: U32Array = np.empty((0, NUM_PERM), dtype=np.uint32)
        self._sizes: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._dates: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._lengths: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._group: dict[str, str] = {}
        self._members: dict[str, tuple[str, ...]] = {}

    # -- building ---------------------------------------------------------------------

    @classmethod
    def build(cls, docs: Mapping[str, tuple[str, int | None]],
              common: U64Array | None = None) -> StoryGroups:
        """Groups of *docs* (id -> (text, date ordinal or None)) from scratch.

        The common set is computed from *docs* unless given (a test or a caller that wants
        to keep a frozen set). Up to :data:`DF_SAMPLE` articles every shingle set is kept
        in memory between the two passes; above it, a sample is shingled for the document
        frequencies and every article once more for its signature.
        """
        ids = sorted(docs)
        n = len(ids)
        cached: dict[str, U64Array] = {}
        if common is None:
            if n <= DF_SAMPLE:
                cached = {i: shingles(docs[i][0]) for i in ids}
                common = common_shingles(cached.values(), n)
            else:
                step = -(-n // DF_SAMPLE)
                sample = ids[::step]
                common = common_shingles((shingles(docs[i][0]) for i in sample), n,
                                         sampled=len(sample))
        groups = cls(common, frozen_at=n)
        groups._add({i: docs[i] for i in ids}, cached)
        groups._regroup()
        return groups

    def _add(self, docs: Mapping[str, tuple[str, int | None]],
             cached: Mapping[str, U64Array] | None = None) -> None:
        if not docs:
            return
        sigs = np.empty((len(docs), NUM_PERM), dtype=np.uint32)
        sizes = np.empty(len(docs), dtype=np.int64)
        dates = np.empty(len(docs), dtype=np.int64)
        lengths = np.empty(len(docs), dtype=np.int64)
        for k, (doc_id, (text, date)) in enumerate(docs.items()):
            sh = cached.get(doc_id) if cached else None
            if sh is None:
                sh = shingles(text)
            if len(self.common):
                sh = sh[~np.isin(sh, self.common, assume_unique=True)]
            sigs[k] = signature(sh)
            sizes[k] = len(sh)
            dates[k] = UNDATED if date is None else date
            lengths[k] = len(text)
        self._ids.extend(docs)
        self._sigs = np.concatenate([self._sigs, sigs])
        self._sizes = np.concatenate([self._sizes, sizes])
        self._dates = np.concatenate([self._dates, dates])
        self._lengths = np.concatenate([self._lengths, lengths])

    def _remove(self, removed: set[str]) -> None:
        if not removed:
            return
        keep = np.array([i not in removed for i in self._ids], dtype=bool)
        self._ids = [i for i in self._ids if i not in removed]
        self._sigs, self._sizes = self._sigs[keep], self._sizes[keep]
        self._dates, self._lengths = self._dates[keep], self._lengths[keep]

    def _regroup(self) -> None:
        """Groups from the stored signatures: LSH, confirmation, union-find. Cheap next
        to shingling (vectorized over all articles), so an update simply redoes it, and
        its groups are the ones a full recompute would find."""
        # Rows sorted by id make the result independent of the order of updates.
        order = sorted(range(len(self._ids)), key=self._ids.__getitem__)
        if order != list(range(len(order))):
            idx = np.array(order, dtype=np.int64)
            self._ids = [self._ids[i] for i in order]
            self._sigs, self._sizes = self._sigs[idx], self._sizes[idx]
            self._dates, self._lengths = self._dates[idx], self._lengths[idx]
        uf = _UnionFind(len(self._ids))
        # Articles with too few shingles of their own stay alone; leaving them out of LSH
        # also keeps the many empty signatures (all equal) from filling one huge bucket.
        rows = np.flatnonzero(self._sizes >= MIN_SHINGLES)
        pairs = rows[candidate_pairs(self._sigs[rows])] if len(rows) else rows.reshape(0, 2)
        for i, j in confirmed(self._sigs, self._sizes, pairs).tolist():
            uf.union(i, j)
        comps: dict[int, list[int]] = {}
        for i in range(len(self._ids)):
            comps.setdefault(uf.find(i), []).append(i)
        self._group, self._members = {}, {}
        for comp in comps.values():
            rep_row = min(comp, key=lambda r: (int(self._dates[r]), -int(self._lengths[r]),
                                               self._ids[r]))
            rep = self._ids[rep_row]
            self._members[rep] = tuple(self._ids[r] for r in comp)
            for r in comp:
                self._group[self._ids[r]] = rep

    def update(self, added: Mapping[str, tuple[str, int | None]],
               removed: Iterable[str] = ()) -> frozenset[str]:
        """Apply an index update: *added* (new or changed articles, id -> (text, date
        ordinal or None)) and *removed* ids. Returns the representatives of every group
        whose members changed, old ones that vanished included, so a caller can refresh
        exactly those. The common set stays frozen (see :attr:`stale`)."""
        before = dict(self._members)
        gone = set(removed) | (set(added) & set(self._group))
        self._remove(gone)
        self._add(added)
        self._regroup()
        changed = {rep for rep, m in before.items() if self._members.get(rep) != m}
        changed |= {rep for rep, m in self._members.items() if before.get(rep) != m}
        return frozenset(changed)

    # -- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._group

    @property
    def stale(self) -> bool:
        """True when the corpus has doubled or halved since the common set was computed:
        a footer now on hundreds of articles may not have been common then. The caller
        then rebuilds with :meth:`build` from all texts (at its next full index build)."""
        n = len(self._ids)
        return n > 2 * max(self.frozen_at, COMMON_MIN_DF) or 2 * n < self.frozen_at

    def group_of(self, doc_id: str) -> str:
        """The id of *doc_id*'s representative (its own id when it has no copies).
        ``KeyError`` for an unknown id."""
        return self._group[doc_id]

    def members(self, rep: str) -> tuple[str, ...]:
        """The ids of a group, the representative included, sorted."""
        return self._members[rep]

    def copies(self, rep: str) -> int:
        """How many other articles are copies in *rep*'s group (0 when alone)."""
        return len(self._members[rep]) - 1

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Every group of two or more articles, by representative."""
        return {rep: m for rep, m in self._members.items() if len(m) > 1}

    # -- persistence ------------------------------------------------------------------

    def save(self, folder: str | os.PathLike[str]) -> Path:
        """Write the groups' state to ``folder/stories.npz`` atomically."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / FILE_NAME
        encoded = [i.encode("utf-8", "surrogatepass") for i in self._ids]
        fd, tmp = tempfile.mkstemp(prefix=".stories-", suffix=".npz", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh,
                    meta=np.array([FORMAT_VERSION, SHINGLE_WORDS, NUM_PERM, BANDS,
                                   self.frozen_at], dtype=np.int64),
                    # UTF-8 bytes and end offsets: a fixed-width unicode array would
                    # spend 4 bytes times the longest path on every id.
                    ids=np.frombuffer(b"".join(encoded), dtype=np.uint8),
                    ids_end=np.cumsum([len(e) for e in encoded], dtype=np.int64),
                    sigs=self._sigs, sizes=self._sizes, dates=self._dates,
                    lengths=self._lengths, common=self.common,
                )
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> StoryGroups:
        """The groups saved in *folder*; :class:`StoryGroupsError` (one line) when the file
        is missing, damaged or of another format, and the caller rebuilds."""
        path = Path(folder) / FILE_NAME
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in ("meta", "ids", "ids_end", "sigs", "sizes",
                                               "dates", "lengths", "common")}
        except FileNotFoundError:
            raise StoryGroupsError(f"story groups not built yet ({path.name})") from None
        except Exception as exc:  # OSError, ValueError, BadZipFile, KeyError: a torn file
            raise StoryGroupsError(
                f"story groups file {path.name} is damaged ({type(exc).__name__}); "
                "recomputing") from None
        meta = arrays["meta"]
        ends = arrays["ids_end"]
        n = len(ends)
        expected = [FORMAT_VERSION, SHINGLE_WORDS, NUM_PERM, BANDS]
        if (meta.shape != (5,) or meta[:4].tolist() != expected
                or arrays["ids"].dtype != np.uint8 or ends.dtype != np.int64
                or (n and (ends[-1] != len(arrays["ids"]) or (np.diff(ends) < 0).any()
                           or ends[0] < 0))
                or arrays["sigs"].shape != (n, NUM_PERM) or arrays["sigs"].dtype != np.uint32
                or arrays["common"].dtype != np.uint64
                or any(arrays[k].shape != (n,) or arrays[k].dtype != np.int64
                       for k in ("sizes", "dates", "lengths"))):
            raise StoryGroupsError(
                f"story groups file {path.name} is of another format or inconsistent; "
                "recomputing")
        groups = cls(arrays["common"], frozen_at=int(meta[4]))
        blob = arrays["ids"].tobytes()
        starts = [0, *ends[:-1].tolist()]
        try:
            groups._ids = [blob[a:b].decode("utf-8", "surrogatepass")
                           for a, b in zip(starts, ends.tolist(), strict=True)]
        except UnicodeDecodeError:
            raise StoryGroupsError(
                f"story groups file {path.name} is damaged (ids); recomputing") from None
        groups._sigs, groups._sizes = arrays["sigs"], arrays["sizes"]
        groups._dates, groups._lengths = arrays["dates"], arrays["lengths"]
        groups._regroup()
        return groups
