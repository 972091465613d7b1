"""The flow chart a report published: its counts file, its arithmetic check and a redrawing.

The counts file (``published/prisma_counts.yaml``) holds each number the report states, in the
report's own boxes, with where it is stated. The check recomputes the chain
identified − duplicates − other reasons (+ other methods) = screened, and assessed − excluded =
included, from the file. Numbers the report states are marked "stated"; numbers only computed here
are marked "derived". A count that appears in no box of the chain is shown, not silently fixed.
"""
from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticError

from ..errors import MissingInputError, ValidationError
from ..lang import pick
from ..protocol import Label
from .flowchart import HEAD_FILLS, Arrow, Box, Layout, draw
from .labels import fmt_n

Role = Literal["identified", "removed", "screened", "other_methods", "assessed", "excluded", "included"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    id: str
    n: int
    where: str
    label: str | Label | None = None

    def text(self, lang: str) -> str:
        if isinstance(self.label, Label):
            return self.label(lang)
        return self.label or ""


class PublishedBox(_Strict):
    id: str
    title: Label
    role: Role
    items: list[Item]


class PublishedFlow(_Strict):
    report: str
    figure: str
    boxes: list[PublishedBox]

    def role(self, role: str) -> list[PublishedBox]:
        return [b for b in self.boxes if b.role == role]

    def total(self, role: str) -> int:
        return sum(i.n for b in self.role(role) for i in b.items)

    def one(self, role: str) -> Item:
        items = [i for b in self.role(role) for i in b.items]
        if len(items) != 1:
            raise ValidationError(f"the published counts need exactly one {role!r} number, "
                                  f"found {len(items)}; fix the counts file")
        return items[0]


def load_published(path: str | Path) -> PublishedFlow:
    path = Path(path)
    if not path.exists():
        raise MissingInputError(f"{path}: not found; the protocol's published_counts names it. "
                                f"Add the file or remove published_counts from protocol.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        flow = PublishedFlow.model_validate(data)
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path}: not valid YAML ({exc}); fix the file") from None
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError(f"{path}: key {where!r}: {first['msg']}; fix the counts file") from None
    for role in ("screened", "assessed", "excluded", "included"):
        flow.one(role)
    return flow


_STEP = {
    "databases": {"nb": "Identifisert via databaser", "en": "Identified via databases"},
    "identified_box": {"nb": "Identifisert via {names}", "en": "Identified via {names}"},
    "identified_total": {"nb": "Identifisert via databaser og andre kilder",
                         "en": "Identified via databases and other sources"},
    "minus": {"nb": "− {label}", "en": "− {label}"},
    "after_removal": {"nb": "= igjen etter fjerning", "en": "= left after removal"},
    "plus": {"nb": "+ {label} (andre metoder)", "en": "+ {label} (other methods)"},
    "screened_computed": {"nb": "= screenet, regnet ut", "en": "= screened, computed"},
    "screened_stated": {"nb": "Screenet, oppgitt", "en": "Screened, as stated"},
    "in_no_box": {"nb": "{label}: i ingen boks", "en": "{label}: in no box"},
    "assessed": {"nb": "Vurdert i fulltekst", "en": "Assessed in full text"},
    "excluded_ft": {"nb": "− ekskludert i fulltekst", "en": "− excluded at full text"},
    "included_computed": {"nb": "= inkludert, regnet ut", "en": "= included, computed"},
    "included_stated": {"nb": "Inkludert, oppgitt", "en": "Included, as stated"},
    "excluded_ta": {"nb": "Ekskludert på tittel/sammendrag (screenet − vurdert i fulltekst)",
                    "en": "Excluded at title/abstract (screened − assessed in full text)"},
}
_NOTE = {
    "match": {"nb": "stemmer med det oppgitte tallet", "en": "matches the stated number"},
    "differs": {"nb": "avviker fra det oppgitte tallet {stated} med {diff}",
                "en": "differs from the stated {stated} by {diff}"},
    "no_box": {"nb": "rapporten regner ikke disse med i noen boks; med dem ville {screened} vært screenet",
               "en": "the report counts these in no box; with them, {screened} would have been screened"},
    "no_subset": {"nb": "ingen kombinasjon av andre metoder forklarer differansen {gap}",
                  "en": "no combination of the other methods explains the gap of {gap}"},
    "never_stated": {"nb": "rapporten oppgir aldri dette tallet", "en": "the report never states this number"},
}


def _t(table: dict, key: str, lang: str, **kw) -> str:
    return pick(table[key], lang).format(**kw)


def _explaining_subset(gap: int, items: list[Item]) -> list[Item] | None:
    """The smallest set of other-method counts whose sum is ``gap`` (None if there is none)."""
    for size in range(len(items) + 1):
        for combo in combinations(items, size):
            if sum(i.n for i in combo) == gap:
                return list(combo)
    return None


def not_in_chain(flow: PublishedFlow) -> list[Item]:
    """Other-method counts that the chain identified − removed (+ ...) = screened leaves out."""
    left = flow.total("identified") - flow.total("removed")
    others = [i for b in flow.role("other_methods") for i in b.items]
    added = _explaining_subset(flow.one("screened").n - left, others)
    used = {i.id for i in (added or [])}
    return [i for i in others if i.id not in used]


def published_check(flow: PublishedFlow, lang: str = "nb") -> pd.DataFrame:
    """The arithmetic of the published figure, step by step, computed from the counts file.

    Columns: step, n, status (stated/derived), calculation, where, note.
    """
    rows: list[dict] = []

    def add(step, n, status, calculation="", where="", note=""):
        rows.append({"step": step, "n": n, "status": status, "calculation": calculation,
                     "where": where, "note": note})

    identified_boxes = flow.role("identified")
    for box in identified_boxes:
        names = ", ".join(i.text(lang) for i in box.items)
        add(_t(_STEP, "identified_box", lang, names=names), sum(i.n for i in box.items), "derived",
            " + ".join(fmt_n(i.n, lang) for i in box.items))
    identified = flow.total("identified")
    add(_t(_STEP, "identified_total", lang), identified, "derived",
        " + ".join(fmt_n(sum(i.n for i in b.items), lang) for b in identified_boxes))
    left = identified
    calc = fmt_n(identified, lang)
    for item in (i for b in flow.role("removed") for i in b.items):
        add(_t(_STEP, "minus", lang, label=item.text(lang)), item.n, "stated", where=item.where)
        left -= item.n
        calc += f" − {fmt_n(item.n, lang)}"
    add(_t(_STEP, "after_removal", lang), left, "derived", calc)

    screened = flow.one("screened")
    others = [i for b in flow.role("other_methods") for i in b.items]
    gap = screened.n - left
    added = _explaining_subset(gap, others)
    computed = left
    if added is not None:
        for item in added:
            add(_t(_STEP, "plus", lang, label=item.text(lang)), item.n, "stated", where=item.where)
            computed += item.n
            calc += f" + {fmt_n(item.n, lang)} ({item.text(lang)})"
    note = (_t(_NOTE, "match", lang) if computed == screened.n else
            _t(_NOTE, "differs", lang, stated=fmt_n(screened.n, lang),
               diff=fmt_n(computed - screened.n, lang)))
    if added is None:
        note += "; " + _t(_NOTE, "no_subset", lang, gap=fmt_n(gap, lang))
    add(_t(_STEP, "screened_computed", lang), computed, "derived", calc, note=note)
    add(_t(_STEP, "screened_stated", lang), screened.n, "stated", where=screened.where)
    used = {i.id for i in (added or [])}
    for item in others:
        if item.id not in used:
            add(_t(_STEP, "in_no_box", lang, label=item.text(lang)), item.n, "stated", where=item.where,
                note=_t(_NOTE, "no_box", lang, screened=fmt_n(screened.n + item.n, lang)))

    assessed, excluded, included = flow.one("assessed"), flow.one("excluded"), flow.one("included")
    add(_t(_STEP, "assessed", lang), assessed.n, "stated", where=assessed.where)
    add(_t(_STEP, "excluded_ft", lang), excluded.n, "stated", where=excluded.where)
    inc = assessed.n - excluded.n
    add(_t(_STEP, "included_computed", lang), inc, "derived",
        f"{fmt_n(assessed.n, lang)} − {fmt_n(excluded.n, lang)}",
        note=_t(_NOTE, "match", lang) if inc == included.n else
        _t(_NOTE, "differs", lang, stated=fmt_n(included.n, lang), diff=fmt_n(inc - included.n, lang)))
    add(_t(_STEP, "included_stated", lang), included.n, "stated", where=included.where)
    add(_t(_STEP, "excluded_ta", lang), screened.n - assessed.n, "derived",
        f"{fmt_n(screened.n, lang)} − {fmt_n(assessed.n, lang)}", note=_t(_NOTE, "never_stated", lang))
    return pd.DataFrame(rows, columns=["step", "n", "status", "calculation", "where", "note"])


_FIG = {
    "head": {"nb": "Studier identifisert via databaser og andre kilder",
             "en": "Studies identified via databases and other sources"},
    "identification": {"nb": "Identifikasjon", "en": "Identification"},
    "screening": {"nb": "Screening", "en": "Screening"},
    "included": {"nb": "Inkludert", "en": "Included"},
    "check": {"nb": "Kontroll av aritmetikken (* = utledet her, ikke oppgitt i rapporten):",
              "en": "Arithmetic check (* = derived here, not stated in the report):"},
    "slip": {"nb": "¹ {label} (n = {n}) er ikke med i noen boks: {calc} = {computed}* gir de {stated} screenet uten dem.",
             "en": "¹ {label} (n = {n}) is in no box: {calc} = {computed}* gives the {stated} screened without them."},
    "ta": {"nb": "Ekskludert på tittel/sammendrag: {screened} − {assessed} = {diff}* (aldri oppgitt).",
           "en": "Excluded at title/abstract: {screened} − {assessed} = {diff}* (never stated)."},
    "ft": {"nb": "Fulltekst: {assessed} − {excluded} = {inc}* (oppgitt: {included}).",
           "en": "Full text: {assessed} − {excluded} = {inc}* (stated: {included})."},
    "sum": {"nb": "Identifisert: {calc} = {total}*.", "en": "Identified: {calc} = {total}*."},
}


def _n(n: int, lang: str) -> str:
    return f"(n\u00a0=\u00a0{fmt_n(n, lang)})"


def published_layout(flow: PublishedFlow, lang: str = "nb") -> Layout:
    t = lambda key, **kw: _t(_FIG, key, lang, **kw)  # noqa: E731
    check = published_check(flow, lang)
    no_box_items = {i.id for i in not_in_chain(flow)}

    def lines(box: PublishedBox) -> list[str]:
        out = [box.title(lang)]
        for i in box.items:
            mark = " ¹" if i.id in no_box_items else ""
            out.append(f"  {i.text(lang)} {_n(i.n, lang)}{mark}" if i.text(lang) else _n(i.n, lang))
        return out

    ident = flow.role("identified")
    boxes = [Box("head", 0, 0, [t("head")], span=2, fill=HEAD_FILLS["databases"], bold=True,
                 align="center")]
    for k, box in enumerate(ident[:2]):
        boxes.append(Box(f"pub-{box.id}", 1, k, lines(box)))
    for box in flow.role("removed")[:1]:
        boxes.append(Box(f"pub-{box.id}", 1, 2, lines(box)))
    screened_box = flow.role("screened")[0]
    boxes.append(Box(f"pub-{screened_box.id}", 2, 0, lines(screened_box), span=2, align="center"))
    for box in flow.role("other_methods")[:1]:
        boxes.append(Box(f"pub-{box.id}", 2, 2, lines(box), fill=HEAD_FILLS["warn"] if no_box_items
                         else "white", dashed=bool(no_box_items)))
    assessed_box = flow.role("assessed")[0]
    excluded_box = flow.role("excluded")[0]
    included_box = flow.role("included")[0]
    boxes += [Box(f"pub-{assessed_box.id}", 3, 0, lines(assessed_box), span=2, align="center"),
              Box(f"pub-{excluded_box.id}", 3, 2, lines(excluded_box)),
              Box(f"pub-{included_box.id}", 4, 0, lines(included_box), span=2, align="center")]

    # The check, computed from the same file: identified sum, the chain to screened, the slip.
    get = lambda prefix: check[check.step.str.startswith(prefix)]  # noqa: E731
    total = int(get(_t(_STEP, "identified_total", lang)).n.iloc[0])
    chain = get(_t(_STEP, "screened_computed", lang)).iloc[0]
    screened, assessed = flow.one("screened").n, flow.one("assessed").n
    excluded, included = flow.one("excluded").n, flow.one("included").n
    check_lines = [t("check"),
                   t("sum", calc=" + ".join(fmt_n(i.n, lang) for b in ident for i in b.items),
                     total=fmt_n(total, lang)),
                   f"{chain.calculation} = {fmt_n(int(chain.n), lang)}* ({chain.note}).",
                   t("ft", assessed=fmt_n(assessed, lang), excluded=fmt_n(excluded, lang),
                     inc=fmt_n(assessed - excluded, lang), included=fmt_n(included, lang)),
                   t("ta", screened=fmt_n(screened, lang), assessed=fmt_n(assessed, lang),
                     diff=fmt_n(screened - assessed, lang))]
    for i in (i for b in flow.role("other_methods") for i in b.items if i.id in no_box_items):
        check_lines.append(t("slip", label=i.text(lang), n=fmt_n(i.n, lang), calc=chain.calculation,
                             computed=fmt_n(int(chain.n), lang), stated=fmt_n(screened, lang)))
    boxes.append(Box("published-check", 5, 0, check_lines, span=3, dashed=True))

    arrows = [Arrow(f"pub-{ident[0].id}", f"pub-{screened_box.id}")]
    if len(ident) > 1:
        arrows += [Arrow(f"pub-{ident[1].id}", f"pub-{screened_box.id}")]
    if flow.role("removed"):
        arrows.append(Arrow(f"pub-{ident[-1].id}" if len(ident) > 1 else f"pub-{ident[0].id}",
                            f"pub-{flow.role('removed')[0].id}", "right"))
    if flow.role("other_methods"):
        # The text version does not show where this box joins; dashed, where the numbers put it.
        arrows.append(Arrow(f"pub-{flow.role('other_methods')[0].id}", f"pub-{screened_box.id}",
                            "left", dashed=True))
    arrows += [Arrow(f"pub-{screened_box.id}", f"pub-{assessed_box.id}"),
               Arrow(f"pub-{assessed_box.id}", f"pub-{excluded_box.id}", "right"),
               Arrow(f"pub-{assessed_box.id}", f"pub-{included_box.id}")]
    phases = [(t("identification"), 1, 1), (t("screening"), 2, 3), (t("included"), 4, 4)]
    return Layout(col_widths=[2.2, 2.2, 2.6], boxes=boxes, arrows=arrows, phases=phases,
                  row_min={4: 0.65})


def draw_published(flow: PublishedFlow, lang: str = "nb"):
    """The published flow chart, redrawn from its counts, with the arithmetic check beneath."""
    return draw(published_layout(flow, lang))


_RECONCILE_BOX = {
    "identified": {"nb": "Identifisert", "en": "Identified"},
    "other_methods": {"nb": "Identifisert via andre metoder", "en": "Identified via other methods"},
    "removed": {"nb": "Fjernet før screening", "en": "Removed before screening"},
}


def reconcile(flow: PublishedFlow, counts, lang: str = "nb") -> pd.DataFrame:
    """The published numbers beside the ones computed from this review's data, box by box.

    Published identification items are matched to protocol sources by id; a source with no
    published count gets an empty ``published``. Columns: box, item, published, computed,
    difference (computed − published).
    """
    rows = []
    sources = {**counts.databases, **counts.other_sources}

    def add(box: str, item: str, published: int | None, computed: int | None):
        diff = None if computed is None or published is None else computed - published
        rows.append({"box": box, "item": item, "published": published, "computed": computed,
                     "difference": diff})

    named: set[str] = set()
    for role in ("identified", "other_methods"):
        for b in flow.role(role):
            for i in b.items:
                named.add(i.id)
                add(_t(_RECONCILE_BOX, role, lang), i.text(lang) or i.id, i.n, sources.get(i.id))
    for sid, n in sources.items():
        if sid not in named:
            role = "identified" if sid in counts.databases else "other_methods"
            add(_t(_RECONCILE_BOX, role, lang), counts.source_names.get(sid, sid), None, n)
    for i in (i for b in flow.role("removed") for i in b.items):
        computed = (counts.duplicates + counts.other_duplicates if i.id == "duplicates" else
                    sum(counts.removed_other.values()) + sum(counts.other_removed.values()))
        add(_t(_RECONCILE_BOX, "removed", lang), i.text(lang), i.n, computed)
    single = {
        "screened": counts.records_screened,
        "assessed": counts.reports_assessed + counts.other_reports_assessed,
        "excluded": counts.reports_excluded + counts.other_reports_excluded,
        "included": counts.studies_included,
    }
    for role, computed in single.items():
        add(flow.role(role)[0].title(lang), "", flow.one(role).n, computed)
    df = pd.DataFrame(rows, columns=["box", "item", "published", "computed", "difference"])
    for col in ("published", "computed", "difference"):
        df[col] = df[col].astype("Int64")
    return df
