"""The rendered search strings: balanced, the right field tags per database, every term present."""
import argparse
import re
import shutil
from pathlib import Path

import pytest

from review.identification import search_strings as ss

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def strategy():
    return ss.load_strategy(REPO)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in re.sub(r'"[^"]*"', '""', text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0 and text.count("'") % 2 == 0


def _terms(strategy, tag):
    return [t["term"] for c in strategy["concept_map"]["concepts"] for t in c["terms"] if tag in t["tags"]]


@pytest.mark.parametrize("name", sorted(ss.render_all(ss.load_strategy(REPO))))
def test_every_rendered_string_is_balanced(strategy, name):
    text = ss.render_all(strategy)[name]
    assert _balanced(text), name
    assert text.endswith("\n") and text.strip()


def test_balance_check_can_fail():
    assert not _balanced('("a" OR b') and not _balanced('"a OR b') and not _balanced("a) OR (b")


def test_pubmed_tags(strategy):
    text = ss.render_pubmed(strategy)
    for term in _terms(strategy, "MH"):
        assert f'"{term}"[Mesh]' in text
    for term in set(_terms(strategy, "CH")) - set(_terms(strategy, "MH")):
        assert f'"{term}"[Mesh]' not in text      # CINAHL-only headings are not MeSH
    for term in _terms(strategy, "kw"):
        assert f'"{term.lower()}"[tiab]' in text
    assert text.count(" AND ") == 2 and "(MH" not in text


def test_cinahl_tags(strategy):
    text = ss.render_cinahl(strategy)
    for term in _terms(strategy, "CH"):
        assert f'(MH "{term}")' in text
    assert '(MH "Home care services")' not in text  # MeSH only
    assert 'TI "allocation office" OR AB "allocation office"' in text
    assert "[Mesh]" not in text and "[tiab]" not in text


def test_embase_uses_embase_com_syntax(strategy):
    text = ss.render_embase(strategy)
    assert "'resource allocation'/exp" in text and "'norwegian':ti,ab" in text
    assert "[Mesh]" not in text and "(MH" not in text and "exp " not in text.replace("/exp", "")


def test_scopus_and_wos_render_the_free_text_blocks(strategy):
    scopus, wos = ss.render_scopus(strategy), ss.render_wos(strategy)
    assert scopus.count("TITLE-ABS-KEY(") == 3 and wos.count("TS=(") == 3
    assert '"health care rationing"' in scopus and "municipal*" in wos
    free = ss.render_free_text(strategy)
    # Stripping the field tags from either gives the free-text string.
    assert scopus.replace("TITLE-ABS-KEY", "") == free
    assert wos.replace("TS=", "") == free


def test_hand_search_keywords(strategy):
    assert ss.render_hand_search(strategy).splitlines() == strategy["hand_search"]["keywords"]
    assert "bestiller-utfører" in strategy["hand_search"]["keywords"]


def test_protocol_query_files_exist_and_are_current():
    from review.protocol import load_protocol

    protocol = load_protocol(REPO, check_files=False)
    named = {s.query for s in protocol.sources if s.query and s.query.startswith("search_strings/")}
    assert named and all((REPO / q).exists() for q in named)
    assert ss.write_rendered(REPO, check=True) == []


def test_cli_writes_then_check_passes(tmp_path, capsys):
    (tmp_path / "search_strings").mkdir()
    shutil.copy(REPO / "search_strings" / "strategy.yaml", tmp_path / "search_strings" / "strategy.yaml")
    parser = argparse.ArgumentParser()
    ss.add_arguments(parser)
    assert ss.run(parser.parse_args(["--review", str(tmp_path), "--check"])) == 1
    assert ss.run(parser.parse_args(["--review", str(tmp_path)])) == 0
    assert (tmp_path / "search_strings" / "rendered" / "embase.txt").exists()
    assert ss.run(parser.parse_args(["--review", str(tmp_path), "--check"])) == 0


def test_bad_tag_is_refused(tmp_path):
    (tmp_path / "search_strings").mkdir()
    text = (REPO / "search_strings" / "strategy.yaml").read_text(encoding="utf-8")
    (tmp_path / "search_strings" / "strategy.yaml").write_text(
        text.replace("{term: Gatekeeping, tags: [MH, CH]}", "{term: Gatekeeping, tags: [MeSH]}"), encoding="utf-8")
    with pytest.raises(ss.StrategyError, match="Gatekeeping"):
        ss.load_strategy(tmp_path)
