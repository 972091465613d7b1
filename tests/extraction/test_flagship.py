"""The 24 flagship extraction files: all valid against the form, names spelled as the authors do."""
import re
from pathlib import Path

import yaml

from review.extraction import extraction_columns, extraction_table, validate

REPO = Path(__file__).resolve().parents[2]


def test_24_files_all_valid(flagship, form):
    assert len(flagship) == 24
    problems = validate(flagship, form, None)
    assert [p.message for p in problems] == []


def test_study_ids_match_the_demo_corpus(flagship):
    listing = REPO / "tools" / "demo_corpus" / "included.yaml"
    data = yaml.safe_load(listing.read_text(encoding="utf-8"))
    assert sorted(flagship) == sorted(s["study_id"] for s in data["studies"])


def test_names_keep_their_norwegian_letters(flagship):
    surnames = {a for s in flagship.values() for a in s.data["citation"]["authors"]}
    assert {"Øydgard", "Sundsbø", "Slåtsveen", "Løken", "Tønnessen", "Førde"} <= surnames
    # The OCR's stand-ins for ø/å must not leak in.
    assert not any(re.search(r"[@Q]ydgard|Sundsb[eo]$|Slatsveen|Loken|Tonnessen", a) for a in surnames)


def test_every_study_records_where_each_illuminated_component_is(flagship, form):
    for sid, s in flagship.items():
        for q in form.quality_ids:
            block = s.data["quality"][q]
            if block["illuminated"]:
                assert all(w.startswith(("Kap. 4", "Vedlegg")) for w in block["where"]), (sid, q)


def test_table_columns_are_the_agreed_ones(flagship, form):
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    agreed = re.search(r"`extraction\.csv`: one row per study: `([^`]+)`", text.replace("\n  ", " ")).group(1)
    base = [c.strip() for c in agreed.split(",")]
    expected = base + [c for q in form.quality_ids for c in (f"q_{q}", f"q_{q}_findings", f"q_{q}_where")]
    table = extraction_table(flagship, form)
    assert list(table.columns) == expected == extraction_columns(form)
    assert table["study_id"].is_monotonic_increasing
    assert set(table["q_coordinated"]) <= {"true", "false"}
