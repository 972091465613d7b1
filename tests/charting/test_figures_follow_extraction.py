"""Changing one study's extraction file changes exactly the dependent cells behind the figures."""
import shutil
from pathlib import Path

import pandas as pd
import yaml

from review.charting import ChartLabels, model_dimension_data, publications_by_year, read_extraction
from review.extraction import extraction_table, load_studies
from review.outputs import save_table

REPO = Path(__file__).resolve().parents[2]


def _figure_data(folder, tmp_path, form, protocol):
    table = extraction_table(load_studies(folder), form)
    save_table(table, "extraction", tmp_path)  # the charts read the saved table, as in the pipeline
    ext = read_extraction(tmp_path / "extraction.csv", protocol)
    labels = ChartLabels(protocol, form)
    return model_dimension_data(ext, labels).counts, publications_by_year(ext, labels)


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> dict:
    diff = before.ne(after)
    return {(r, c): (int(before.loc[r, c]), int(after.loc[r, c]))
            for r in before.index for c in before.columns if diff.loc[r, c]}


def test_one_study_changes_only_its_cells(tmp_path, form, protocol):
    folder = tmp_path / "studies"
    shutil.copytree(REPO / "extraction/studies", folder)
    heat, years = _figure_data(folder, tmp_path / "a", form, protocol)
    kassah = yaml.safe_load((folder / "kassah2016.yaml").read_text(encoding="utf-8"))
    assert kassah["models"] == ["separate_unit"] and not kassah["quality"]["effective"]["illuminated"]

    def illuminate_effective(d):
        d["quality"]["effective"] = {"illuminated": True, "findings": ["Vedtakene bygger på oppdatert kunnskap."],
                                     "where": ["Test"]}
    _edit(folder / "kassah2016.yaml", illuminate_effective)
    heat2, years2 = _figure_data(folder, tmp_path / "b", form, protocol)
    before = int(heat.loc["separate_unit", "effective"])
    assert _changed_cells(heat, heat2) == {("separate_unit", "effective"): (before, before + 1)}
    assert years.equals(years2)

    _edit(folder / "kassah2016.yaml", lambda d: d["citation"].update(year=2017))
    _, years3 = _figure_data(folder, tmp_path / "c", form, protocol)
    diff = years2.ne(years3.reindex_like(years2).fillna(0).astype(years2.dtypes.iloc[0]))
    changed = [(y, c) for y in years2.index for c in years2.columns if diff.loc[y, c]]
    assert sorted(changed) == [(2016, "journal_article"), (2017, "journal_article")]
