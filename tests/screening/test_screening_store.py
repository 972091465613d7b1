"""The append-only decision store: validation, undo, torn lines, concurrent writers, killed writers."""
from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.errors import ValidationError
from review.screening.store import DecisionStore

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "review"


@pytest.fixture
def review(tmp_path) -> Path:
    dest = tmp_path / "review"
    shutil.copytree(FIXTURE, dest)
    return dest


def test_rows_are_appended_and_the_latest_row_per_reviewer_and_work_wins(review):
    store = DecisionStore(review)
    store.append("w_0a1f3c", "demo_a", "title_abstract", "maybe", note="usikker – se metode")
    store.append("w_0a1f3c", "demo_a", "title_abstract", "include")
    store.append("w_1b7e9d", "demo_a", "title_abstract", "exclude", reason="not_norway")
    store.append("w_0a1f3c", "demo_b", "title_abstract", "exclude")
    path = review / "decisions/screening/title_abstract/demo_a.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["note"] == "usikker – se metode"
    d = store.decisions("title_abstract").set_index(["reviewer", "work_id"])["decision"].to_dict()
    assert d == {("demo_a", "w_0a1f3c"): "include", ("demo_a", "w_1b7e9d"): "exclude",
                 ("demo_b", "w_0a1f3c"): "exclude"}


def test_undo_appends_a_row_and_steps_back_one_decision(review):
    store = DecisionStore(review)
    store.append("w_0a1f3c", "demo_a", "title_abstract", "maybe")
    store.append("w_0a1f3c", "demo_a", "title_abstract", "include")
    store.append("w_1b7e9d", "demo_a", "title_abstract", "include")
    last = store.last_standing("title_abstract", "demo_a")
    assert last["work_id"] == "w_1b7e9d"
    store.undo("w_1b7e9d", "demo_a", "title_abstract")
    store.undo("w_0a1f3c", "demo_a", "title_abstract")
    d = store.reviewer_decisions("title_abstract", "demo_a")
    assert d[["work_id", "decision"]].values.tolist() == [["w_0a1f3c", "maybe"]]
    rows = (review / "decisions/screening/title_abstract/demo_a.jsonl").read_text().splitlines()
    assert [json.loads(r)["decision"] for r in rows] == ["maybe", "include", "include", "undo", "undo"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(decision="exclude"), "needs a reason"),                                  # full text requires it
    (dict(decision="exclude", reason="wrong_population"), "not an exclusion reason"),
    (dict(decision="include", reason="not_norway"), "only with an exclusion"),
    (dict(decision="excluded", reason="not_norway"), "is not one of"),
    (dict(decision="include", reviewer="Anne Marie"), "reviewer id"),
    (dict(decision="include", timestamp="24.11.2026 10:00"), "not UTC ISO 8601"),
])
def test_bad_rows_are_refused_before_anything_is_written(review, kwargs, message):
    store = DecisionStore(review)
    args = dict(work_id="w_0a1f3c", reviewer="demo_a", stage="full_text") | kwargs
    with pytest.raises(ValidationError, match=message):
        store.append(**args)
    assert not (review / "decisions/screening/full_text").exists()


def test_not_retrieved_is_a_full_text_reason_only(review):
    store = DecisionStore(review)
    store.append("w_4a6b2c", "demo_a", "full_text", "exclude", reason="not_retrieved")
    with pytest.raises(ValidationError, match="not an exclusion reason"):
        store.append("w_0a1f3c", "demo_a", "title_abstract", "exclude", reason="not_retrieved")


def test_an_invalid_row_in_a_file_is_reported_with_file_and_line(review):
    store = DecisionStore(review)
    store.append("w_0a1f3c", "demo_a", "title_abstract", "include")
    path = review / "decisions/screening/title_abstract/demo_a.jsonl"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"work_id": "w_1b7e9d", "reviewer": "demo_a", "stage": "title_abstract",
                             "decision": "exclude", "reason": "wrong population", "note": None,
                             "timestamp": "2026-11-24T10:00:00Z"}) + "\n")
    with pytest.raises(ValidationError) as err:
        store.load("title_abstract")
    assert f"{path}, line 2" in str(err.value) and "'wrong population'" in str(err.value)


def test_a_torn_last_line_is_skipped_reported_and_sealed_by_the_next_append(review):
    store = DecisionStore(review)
    store.append("w_0a1f3c", "demo_a", "title_abstract", "include")
    path = review / "decisions/screening/title_abstract/demo_a.jsonl"
    with open(path, "ab") as fh:  # what a writer killed mid-write leaves behind
        fh.write(b'{"work_id": "w_1b7e9d", "reviewer": "demo_a", "stage": "title_ab')
    loaded = store.load("title_abstract")
    assert loaded.rows["work_id"].tolist() == ["w_0a1f3c"]
    assert [(p.line, "torn last line" in p.message) for p in loaded.problems] == [(2, True)]
    store.append("w_2c4d8a", "demo_a", "title_abstract", "maybe")
    loaded = store.load("title_abstract")
    assert loaded.rows["work_id"].tolist() == ["w_0a1f3c", "w_2c4d8a"]
    assert [p.line for p in loaded.problems] == [2]
    assert path.read_bytes().count(b"\n") == 3


WRITER = r"""
import sys
from review.screening.store import DecisionStore
store = DecisionStore(sys.argv[1])
tag, n, note_size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
print("ready", flush=True)
for i in range(n):
    store.append(f"w_{tag}_{i:05d}", "demo_a", "title_abstract", "include" if i % 3 else "maybe",
                 note=f"{tag}-{i} " + "ø" * note_size)
    if note_size:
        print(i, flush=True)
"""


def _writer(review: Path, tag: str, n: int, note_size: int = 0, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(review), tag, str(n), str(note_size)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_concurrent_writers_lose_and_corrupt_nothing(review):
    n_procs, n = 3, 1000
    procs = [_writer(review, f"p{k}", n) for k in range(n_procs)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert out.strip() == "ready"
        assert p.returncode == 0, err
    store = DecisionStore(review)
    loaded = store.load("title_abstract")
    assert loaded.problems == []
    assert len(loaded.rows) == n_procs * n
    expected = {f"w_p{k}_{i:05d}" for k in range(n_procs) for i in range(n)}
    assert set(loaded.rows["work_id"]) == expected
    # Each writer's rows stay in its own order.
    for k in range(n_procs):
        mine = loaded.rows[loaded.rows["work_id"].str.startswith(f"w_p{k}_")]
        assert mine["work_id"].tolist() == sorted(mine["work_id"])
    for line in (review / "decisions/screening/title_abstract/demo_a.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_a_writer_killed_at_random_points_loses_at_most_the_row_being_written(review):
    rng = random.Random(20240831)
    store = DecisionStore(review)
    acked_all: set[str] = set()
    torn = 0
    for round_no in range(3):
        tag = f"k{round_no}"
        # Big notes make each write long, so a kill can land inside one.
        note_size = rng.choice([1_000, 20_000, 100_000])
        # At most ~8 MB per round keeps the reads quick.
        proc = _writer(review, tag, 4_000_000 // note_size, note_size=note_size)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        acked = {f"w_{tag}_{int(i):05d}" for i in out.split()}
        loaded = store.load("title_abstract")  # must not raise
        got = set(loaded.rows["work_id"])
        mine = {w for w in got if w.startswith(f"w_{tag}_")}
        assert acked <= mine, "a row whose append returned is missing"
        assert len(mine - acked) <= 1, "more than the row in flight appeared without an acknowledgement"
        assert acked_all <= got, "an earlier round's row was lost"
        acked_all |= mine
        assert all("torn" in p.message or "interrupted" in p.message for p in loaded.problems)
        torn += len(loaded.problems)
    assert len(acked_all) > 3, "the writers were killed before they wrote; the test proved nothing"
    print(f"{len(acked_all)} rows written, {torn} torn line(s) seen")


def test_screened_work_ids_collects_every_stage_reviewer_and_resolution(review):
    store = DecisionStore(review)
    assert store.screened_work_ids() == set()
    store.append("w_a", "demo_a", "title_abstract", "include")
    store.append("w_b", "demo_b", "title_abstract", "exclude", reason="not_norway")
    store.undo("w_b", "demo_b", "title_abstract")  # an undone decision still named the work
    store.resolve("w_c", "demo_c", "title_abstract", "include")
    store.append("w_d", "demo_a", "full_text", "include")
    assert store.screened_work_ids() == {"w_a", "w_b", "w_c", "w_d"}
