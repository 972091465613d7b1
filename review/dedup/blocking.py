"""Candidate pairs from several independent blocking keys.

A pair is a candidate if the two records share *any* key, so one missing or mistyped field (a DOI
absent in one export, a title with a language note, an empty title) does not lose the pair.
Keys:
  doi            normalised DOI
  title_head     first 30 characters of the folded title (spaces removed, OCR variants merged)
  title_tail     last 30 characters of it (catches titles that differ at the start: "[A study ...]")
  title_words    the six longest title words, sorted (catches word-order and punctuation changes)
  author_year_page  first author's folded family name + year + first page (empty titles)
  volume_page    volume + first page + last page (journal names written differently)
  year_pages     year + first page + last page
Blocks larger than ``max_block`` are split by year and then dropped if still too large (generic
titles such as "Editorial"); the number of records in dropped blocks is reported.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np

from review.dedup.features import Features
from review.dedup.normalize import ocr_key

MAX_BLOCK = 60


def blocking_keys(f: Features, i: int) -> list[str]:
    keys: list[str] = []
    if f.doi[i]:
        keys.append("d|" + f.doi[i])
    t = ocr_key(f.title[i]).replace(" ", "")
    if len(t) >= 12:
        keys.append("h|" + t[:30])
        keys.append("t|" + t[-30:])
        words = sorted(f.title[i].split(), key=lambda w: (-len(w), w))[:6]
        if len(words) >= 3:
            keys.append("w|" + " ".join(sorted(words)))
    pf, pl, y = f.page_first[i], f.page_last[i], f.year[i]
    if pf:
        if f.authors[i]:
            keys.append(f"a|{ocr_key(f.authors[i][0].family)}|{y}|{pf}")
        if f.volume[i]:
            keys.append(f"v|{f.volume[i]}|{pf}|{pl}")
        if pl and y:
            keys.append(f"y|{y}|{pf}|{pl}")
    return keys


def candidate_pairs(f: Features, *, max_block: int = MAX_BLOCK) -> tuple[np.ndarray, np.ndarray, int]:
    """Return (i, j) index arrays with i < j, unique, sorted; and the count of records in dropped blocks."""
    n = len(f)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in range(len(f)):
        for k in blocking_keys(f, i):
            blocks[k].append(i)
    chunks: list[np.ndarray] = []
    small: list[int] = []
    dropped: set[int] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        groups = [members]
        if len(members) > max_block:
            by_year: dict[object, list[int]] = defaultdict(list)
            for m in members:
                by_year[f.year[m]].append(m)
            groups = list(by_year.values())
        for g in groups:
            if len(g) < 2:
                continue
            if len(g) > max_block:
                dropped.update(g)
                continue
            if len(g) <= 8:
                small.extend(a * n + b for a, b in combinations(g, 2))
                continue
            arr = np.asarray(g, dtype=np.int64)
            a, b = np.triu_indices(len(arr), k=1)
            chunks.append(arr[a] * n + arr[b])
    if small:
        chunks.append(np.asarray(small, dtype=np.int64))
    if not chunks:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, len(dropped)
    codes = np.unique(np.concatenate(chunks))
    i, j = np.divmod(codes, len(f))
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    codes = np.unique(lo * len(f) + hi)
    i, j = np.divmod(codes, len(f))
    return i, j, len(dropped)
