"""``review bench import``: our RIS reader beside rispy's bare parse of the same 100,000 records."""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

_WORDS = ("tildeling helse omsorg kommune bestiller utfører tillitsmodell hjemmetjeneste sykehjem "
          "allocation municipal home care purchaser provider trust model nursing coordination quality "
          "caseworker leadership decision welfare services Norway Norwegian experiences").split()
_NAMES = ["Øydgard, Gunn", "Sundsbø, Åse", "Slåtsveen, Kari", "Løken, Eva", "Tønnessen, Siri",
          "Hansen, Ola", "Berg, Ingrid", "Smith, John", "Vabø, Mia", "Førland, Oddvar"]
_JOURNALS = ["Tidsskrift for omsorgsforskning", "Nordisk sygeplejeforskning", "BMC Health Services Research",
             "Scandinavian Journal of Caring Sciences", "Health & Social Care in the Community"]


def generate_ris(n: int, seed: int = 2024) -> str:
    """``n`` RIS records shaped like an EBSCO export: multi-line abstracts, keywords, CRLF-free."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words = lambda k: " ".join(rnd.choice(_WORDS) for _ in range(k))  # noqa: E731
        rec = ["TY  - JOUR"]
        rec += [f"AU  - {rnd.choice(_NAMES)}" for _ in range(rnd.randint(1, 6))]
        rec.append(f"T1  - {words(12).capitalize()}")
        rec.append(f"JO  - {rnd.choice(_JOURNALS)}")
        rec.append(f"Y1  - {rnd.randint(1990, 2024)}///")
        rec.append(f"VL  - {rnd.randint(1, 60)}")
        rec.append(f"IS  - {rnd.randint(1, 12)}")
        sp = rnd.randint(1, 900)
        rec += [f"SP  - {sp}", f"EP  - {sp + rnd.randint(3, 20)}"]
        rec.append(f"SN  - {rnd.randint(1000, 9999)}-{rnd.randint(100, 999)}X")
        rec.append(f"AB  - {words(60)}")
        rec.append(words(40))  # a continuation line, as EBSCO wraps long abstracts
        rec += [f"KW  - {rnd.choice(_WORDS)}" for _ in range(rnd.randint(2, 8))]
        if rnd.random() < 0.8:
            rec.append(f"DO  - 10.{rnd.randint(1000, 99999)}/x{i}")
        rec.append(f"AN  - {10_000_000 + i}")
        rec.append("DB  - CINAHL Complete")
        rec.append(f"UR  - https://search.ebscohost.com/login.aspx?direct=true&db=ccm&AN={10_000_000 + i}")
        rec.append("ER  - ")
        out.append("\n".join(rec))
    return "\n\n".join(out) + "\n"


def measure(n: int = 100_000, repeat: int = 3) -> dict:
    import rispy

    from .imports import read_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ris"
        path.write_text(generate_ris(n), encoding="utf-8")
        ours = rispy_t = float("inf")
        n_ours = n_rispy = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            records, _, _ = read_file(path, "ris", source="bench")
            ours = min(ours, time.perf_counter() - t0)
            n_ours = len(records)
            t0 = time.perf_counter()
            entries = rispy.load(path, encoding="utf-8")
            rispy_t = min(rispy_t, time.perf_counter() - t0)
            n_rispy = len(entries)
        size = path.stat().st_size
    return {"records": n, "bytes": size, "ours_s": ours, "rispy_s": rispy_t, "ratio": ours / rispy_t,
            "ours_records": n_ours, "rispy_records": n_rispy}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=int, default=100_000, help="how many RIS records (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")


def run(args) -> int:
    m = measure(args.records, args.repeat)
    print(f"RIS import benchmark: {m['records']:,} records, {m['bytes'] / 1e6:.1f} MB (best of {args.repeat})")
    print(f"  review (decode, parse, canonical table, ids): {m['ours_s']:.2f} s  ({m['ours_records']:,} records)")
    print(f"  rispy.load (bare parse):                      {m['rispy_s']:.2f} s  ({m['rispy_records']:,} records)")
    print(f"  ratio review / rispy: {m['ratio']:.2f}x (target <= 1.50x)")
    return 0
