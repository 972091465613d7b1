"""Charts of the findings: counts from extraction.csv, hover texts, greyscale, languages."""
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from review.charting import (
    ChartLabels,
    characteristics,
    draw_evidence_map,
    draw_model_by_dimension,
    draw_publications_over_time,
    draw_study_characteristics,
    model_dimension_data,
    publications_by_year,
    read_extraction,
    save_chart,
    study_label,
)
from review.errors import ValidationError

SVG = "{http://www.w3.org/2000/svg}"


def _groups(svg_path):
    """id → (title text or None, visible text) for every <g id=...> in the SVG."""
    out = {}
    for g in ET.parse(svg_path).getroot().iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        texts = " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))
        out[g.get("id")] = (title.text if title is not None else None, texts)
    return out


def _raw(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _has(models: str, m: str) -> bool:
    return m in [x.strip() for x in models.split(";")]


def test_read_extraction_parses_quality_flags(extraction_path, protocol):
    ext = read_extraction(extraction_path, protocol)
    raw = _raw(extraction_path)
    assert ext["q_coordinated"].dtype == bool
    assert ext["q_coordinated"].sum() == (raw["q_coordinated"] == "true").sum()


@pytest.mark.parametrize("change, message", [
    (lambda df: df.assign(q_safe=df.q_safe.where(df.index != 2, "kanskje")), r"line 4, study '.+': q_safe is 'kanskje'"),
    (lambda df: df.drop(columns=["q_resources"]), r"missing column\(s\) q_resources"),
    (lambda df: pd.concat([df, df.head(1)]), r"study 'angelsen2024' appears twice"),
])
def test_bad_extraction_tables_are_named(extraction_path, protocol, tmp_path, change, message):
    path = tmp_path / "extraction.csv"
    change(_raw(extraction_path)).to_csv(path, index=False)
    with pytest.raises(ValidationError, match=message):
        read_extraction(path, protocol)


def test_bom_and_crlf_are_read(extraction_path, protocol, tmp_path):
    path = tmp_path / "extraction.csv"
    path.write_bytes(b"\xef\xbb\xbf" + extraction_path.read_bytes().replace(b"\n", b"\r\n"))
    assert read_extraction(path, protocol).equals(read_extraction(extraction_path, protocol))


def test_heat_map_counts_and_companion_table(extraction_path, protocol):
    raw = _raw(extraction_path)
    labels = ChartLabels(protocol, None, "nb")
    data = model_dimension_data(read_extraction(extraction_path, protocol), labels)
    assert list(data.counts.columns) == [q.id for q in protocol.quality_dimensions]
    assert [m.id for m in protocol.organisational_models] == list(data.counts.index[:3])
    assert "unclear" in data.counts.index  # Løken (2022) names no clear model
    for m in data.counts.index:
        for q in data.counts.columns:
            hit = raw[raw.models.map(lambda v: _has(v, m)) & (raw[f"q_{q}"] == "true")]
            assert data.counts.loc[m, q] == len(hit)
            row = data.table[(data.table.model_id == m) & (data.table.component_id == q)].iloc[0]
            assert row.n_studies == len(hit)
            named = [s for s in row.studies.split("; ") if s]
            assert sorted(named) == sorted(study_label(r) for _, r in hit.iterrows())


def test_heat_map_svg_has_numbers_and_hover_studies(extraction_path, protocol, tmp_path):
    labels = ChartLabels(protocol, None, "nb")
    data = model_dimension_data(read_extraction(extraction_path, protocol), labels)
    fig, titles = draw_model_by_dimension(data, labels)
    paths = save_chart(fig, "model_by_dimension", tmp_path, titles)
    assert {p.name for p in paths.values()} == {"model_by_dimension.svg", "model_by_dimension.png",
                                                "model_by_dimension.pdf"}
    groups = _groups(paths["svg"])
    for r in data.table.itertuples():
        title, _ = groups[f"cell-{r.model_id}-{r.component_id}"]
        _, number = groups[f"cell-{r.model_id}-{r.component_id}-n"]
        assert number == str(r.n_studies)
        assert title.startswith(f"{r.model} × {r.component}: {r.n_studies} studier")
        for study in filter(None, r.studies.split("; ")):
            assert study in title
    assert "Øydgard (2018a)" in groups["cell-separate_unit-coordinated"][0]


def test_heat_map_is_readable_in_greyscale(extraction_path, protocol):
    labels = ChartLabels(protocol, None, "nb")
    data = model_dimension_data(read_extraction(extraction_path, protocol), labels)
    fig, _ = draw_model_by_dimension(data, labels)
    grey = {}
    for patch in fig.axes[0].patches:
        gid = patch.get_gid() or ""
        if gid.startswith("cell-"):
            m, q = next((m, q) for m in data.counts.index for q in data.counts.columns
                        if gid == f"cell-{m}-{q}")
            r, g, b, _ = patch.get_facecolor()
            grey.setdefault(int(data.counts.loc[m, q]), set()).add(round(0.299 * r + 0.587 * g + 0.114 * b, 4))
    assert len(grey) >= 3
    levels = [grey[n] for n in sorted(grey)]
    assert all(len(s) == 1 for s in levels)  # one count, one grey
    values = [next(iter(s)) for s in levels]
    assert all(a - b > 0.02 for a, b in zip(values, values[1:]))  # more studies, clearly darker


def test_evidence_map_dots_totals_and_groups(extraction_path, protocol, tmp_path):
    ext = read_extraction(extraction_path, protocol)
    labels = ChartLabels(protocol, None, "en")
    fig, titles = draw_evidence_map(ext, labels)
    groups = _groups(save_chart(fig, "evidence_map", tmp_path, titles)["svg"])
    comps = [q.id for q in protocol.quality_dimensions]
    for r in ext.itertuples():
        for q in comps:
            gid = f"dot-{r.study_id}-{q}"
            assert (gid in groups) == bool(getattr(r, f"q_{q}")), gid
            if gid in groups:
                first_unit = getattr(r, f"q_{q}_findings").split(" | ")[0][:40]
                assert first_unit in groups[gid][0]
    for q in comps:
        assert groups[f"total-{q}"][1] == str(int(ext[f"q_{q}"].sum()))
    n_trust = (ext.models == "trust_model").sum()
    assert groups["group-trust_model"][1].replace("\u00a0", " ") == f"Trust model (n = {n_trust})"
    # Groups differ by marker shape as well as colour.
    markers = {line.get_marker() for line in fig.axes[0].lines if (line.get_gid() or "").startswith("dot-")}
    assert len(markers) >= 4


def test_publications_over_time(extraction_path, protocol, tmp_path):
    ext = read_extraction(extraction_path, protocol)
    labels = ChartLabels(protocol, None, "nb")
    table = publications_by_year(ext, labels)
    years = ext.year.astype(int)
    assert list(table.index) == list(range(years.min(), years.max() + 1))
    assert int(table.to_numpy().sum()) == len(ext)
    assert table.loc[2018, "report"] == ((years == 2018) & (ext.publication_type == "report")).sum()
    fig = draw_publications_over_time(table, labels)
    hatches = {p.get_hatch() for p in fig.axes[0].patches}
    assert len(hatches) == table.shape[1]  # each type its own hatch, for greyscale
    save_chart(fig, "publications_over_time", tmp_path)


def test_characteristics_count_every_perspective(extraction_path, protocol, tmp_path):
    ext = read_extraction(extraction_path, protocol)
    raw = _raw(extraction_path)
    labels = ChartLabels(protocol, None, "en")
    table = characteristics(ext, labels)
    persp = table[table.column == "perspectives"].set_index("value_id").n_studies
    assert persp["leaders"] == raw.perspectives.map(lambda v: _has(v, "leaders")).sum()
    methods = table[table.column == "method_class"]
    assert methods.n_studies.sum() == len(ext)
    fig = draw_study_characteristics(table, labels, len(ext))
    groups = _groups(save_chart(fig, "study_characteristics", tmp_path)["svg"])
    assert groups["n-perspectives-leaders"][1] == str(persp["leaders"])


def test_labels_follow_the_form_and_the_language(extraction_path, protocol, form):
    ext = read_extraction(extraction_path, protocol)
    nb = characteristics(ext, ChartLabels(protocol, form, "nb"))
    en = characteristics(ext, ChartLabels(protocol, form, "en"))
    assert "Utførere" in set(nb.value) and "Service providers" in set(en.value)
    # The form's order, not the alphabet: qualitative, quantitative, mixed.
    order = [v for v in form.allowed("method_class") if v in set(ext.method_class)]
    assert nb[nb.column == "method_class"].value_id.tolist() == order
    assert ChartLabels(protocol, form, "nb").value("publication_type", "journal_article") == "Vitenskapelig artikkel"
    assert ChartLabels(protocol, None, "en").component("competent_staff") == "Competent and empowered staff"
