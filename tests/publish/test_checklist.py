"""The PRISMA-ScR checklist: all 22 items, each with a status that follows the review's own files."""
import json

import pandas as pd

from review.publish import checklist

from .conftest import REPO


def test_all_22_items_with_a_status_each(protocol, tmp_path):
    table = checklist.evaluate(REPO, tmp_path, protocol, "en")
    assert list(table["item"]) == [str(i) for i in range(1, 23)]
    assert set(table.status) <= set(checklist.STATUS_LABELS)
    assert table["where"].str.len().gt(0).all() and table["asks"].str.len().gt(20).all()
    # Only the authors can write the rationale, limitations, conclusions and funding.
    assert set(table[table.item.isin(["3", "20", "21", "22"])].status) == {checklist.AUTHORS}


def test_status_follows_the_outputs(protocol, tmp_path):
    before = checklist.evaluate(REPO, tmp_path, protocol).set_index("item").status
    assert before["7"] == before["14"] == before["15"] == checklist.MISSING
    (tmp_path / "tables").mkdir()
    (tmp_path / "figures").mkdir()
    pd.DataFrame({"source_id": ["pubmed"]}).to_csv(tmp_path / "tables" / "search_log.csv", index=False)
    (tmp_path / "figures" / "prisma.svg").write_text("<svg/>", encoding="utf-8")
    pd.DataFrame({"study_id": ["a"]}).to_csv(tmp_path / "tables" / "extraction.csv", index=False)
    after = checklist.evaluate(REPO, tmp_path, protocol).set_index("item").status
    assert after["7"] == checklist.EVIDENCED  # every database source has a search date
    assert after["14"] == after["15"] == checklist.EVIDENCED


def test_one_language_in_the_report_table(protocol, tmp_path):
    en = checklist.for_report(checklist.evaluate(REPO, tmp_path, protocol, "en"), "en")
    nb = checklist.for_report(checklist.evaluate(REPO, tmp_path, protocol, "nb"), "nb")
    assert list(en.columns) == ["Item", "Section", "Topic", "What the item asks (our paraphrase)", "Status", "Where"]
    assert "Eligibility criteria" in set(en.Topic) and "Inklusjonskriterier" in set(nb.Tema)
    assert not set(en.Status) & set(nb.Status)
    assert json.dumps(list(nb.Status), ensure_ascii=False).count("evidenced") == 0
