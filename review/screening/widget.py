"""The screening widget: one work at a time, blind to the other reviewers, every click appended.

Open it from the screening notebook::

    ScreeningWidget(review_dir, pool, reviewer="demo_a", stage="title_abstract").show()

Keys (with the mouse over the record): ``i`` include, ``e`` exclude, ``m`` maybe, ``u`` undo.
Every part has a stable CSS class (``screening-include``, ``screening-title``, ...) so that
tests and custom stylesheets can find it.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pandas as pd

from ..errors import ReviewError
from ..lang import pick
from ..protocol import Protocol
from .fulltexts import find_fulltext, read_index
from .status import stage_outcomes
from .store import DecisionStore, reason_ids, reason_labels

KEYS = {"i": "include", "e": "exclude", "m": "maybe", "u": "undo"}
TEXT = {
    "nb": {"include": "Inkluder (i)", "exclude": "Ekskluder (e)", "maybe": "Kanskje (m)", "undo": "Angre (u)",
           "reviewer": "Screener", "stage": "Fase", "reason": "Grunn", "note": "Notat (valgfritt)"},
    "en": {"include": "Include (i)", "exclude": "Exclude (e)", "maybe": "Maybe (m)", "undo": "Undo (u)",
           "reviewer": "Reviewer", "stage": "Stage", "reason": "Reason", "note": "Note (optional)"},
}

CSS = """
<style>
.screening-widget {max-width: 60em;}
.screening-title {font-size: 1.25em; font-weight: 600;}
.screening-abstract {line-height: 1.45;}
mark.screening-hl-include {background: #c8f0c8; padding: 0 .1em;}
mark.screening-hl-exclude {background: #f8c9c4; padding: 0 .1em;}
.screening-card {border: 1px solid #d0d7de; padding: .6em 1em; border-radius: 4px;}
.screening-card:focus {outline: 2px solid #0b5394;}
</style>
"""


def _text(value) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def highlight(text, include_terms: list[str], exclude_terms: list[str]) -> str:
    """Escape ``text`` for HTML and mark the protocol's terms (matched at word starts, any case).

    Matching runs on the raw text and every piece is escaped on output, so markup in a record
    can never become markup on the page.
    """
    raw = _text(text)
    kind = {}
    for t in exclude_terms:
        kind[t.lower()] = "exclude"
    for t in include_terms:
        kind[t.lower()] = "include"
    terms = sorted((t for t in kind if t.strip()), key=len, reverse=True)
    if not terms or not raw:
        return html.escape(raw)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + ")", re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(raw):
        out.append(html.escape(raw[pos:m.start()]))
        cls = kind[m.group(1).lower()]
        out.append(f'<mark class="screening-hl-{cls}">{html.escape(m.group(1))}</mark>')
        pos = m.end()
    out.append(html.escape(raw[pos:]))
    return "".join(out)


def eligible_works(pool: pd.DataFrame, store: DecisionStore, stage: str) -> pd.DataFrame:
    """The works a reviewer screens at ``stage``, in pool order.

    Title/abstract: the database-route works. Full text: the works included at title/abstract
    plus the other-methods works, which skip title/abstract.
    """
    route = pool["route"] if "route" in pool else pd.Series("database", index=pool.index)
    if stage == "title_abstract":
        return pool[route != "other"]
    ta = stage_outcomes(store, "title_abstract")
    included = {w for w, o in ta.items() if o.status == "included"}
    return pool[(route == "other") | pool["work_id"].isin(included)]


class ScreeningWidget:
    """Blind screening of ``pool`` (the rows of screening_pool.csv) for one reviewer and stage."""

    def __init__(self, review_dir: str | Path, pool: pd.DataFrame, *, reviewer: str | None = None,
                 stage: str = "title_abstract", protocol: Protocol | None = None, lang: str = "nb",
                 store: DecisionStore | None = None):
        import ipywidgets as W

        self.store = store or DecisionStore(review_dir, protocol)
        self.protocol = self.store.protocol
        self.review_dir = Path(review_dir)
        self.lang = lang
        self.pool = pool.copy()
        self.pool["work_id"] = self.pool["work_id"].astype(str)
        self.current: dict | None = None
        self._index = read_index(self.review_dir)

        t = pick(TEXT, lang)
        reviewers = [(f"{r.name} ({r.id})", r.id) for r in self.protocol.reviewers]
        stages = [(s.label(lang), s.id) for s in self.protocol.screening.stages]
        self.reviewer_box = W.Dropdown(options=[("—", None)] + reviewers, value=reviewer,
                                       description=t["reviewer"])
        self.stage_box = W.Dropdown(options=stages, value=stage, description=t["stage"])
        self.progress = W.IntProgress(min=0, max=1, value=0, bar_style="info")
        self.progress_label = W.Label("")
        self.title = W.HTML()
        self.meta = W.HTML()
        self.abstract = W.HTML()
        self.fulltext = W.Output()
        self.include_btn = W.Button(description=t["include"], button_style="success", icon="check")
        self.exclude_btn = W.Button(description=t["exclude"], button_style="danger", icon="times")
        self.maybe_btn = W.Button(description=t["maybe"], button_style="warning", icon="question")
        self.undo_btn = W.Button(description=t["undo"], icon="undo")
        self.reason = W.Dropdown(description=t["reason"])
        self.note = W.Textarea(placeholder=t["note"], layout=W.Layout(width="100%", height="3.5em"))
        self.message = W.HTML()
        self.card = W.VBox([self.title, self.meta, self.abstract, self.fulltext])
        buttons = W.HBox([self.include_btn, self.exclude_btn, self.maybe_btn, self.undo_btn])
        self.widget = W.VBox([
            W.HTML(CSS), W.HBox([self.reviewer_box, self.stage_box]),
            W.HBox([self.progress, self.progress_label]), self.card, buttons,
            W.HBox([self.reason]), self.note, self.message,
        ])
        for w, cls in [(self.widget, "screening-widget"), (self.reviewer_box, "screening-reviewer"),
                       (self.stage_box, "screening-stage"), (self.progress, "screening-progress"),
                       (self.progress_label, "screening-progress-label"), (self.title, "screening-title"),
                       (self.meta, "screening-meta"), (self.abstract, "screening-abstract"),
                       (self.fulltext, "screening-fulltext"), (self.include_btn, "screening-include"),
                       (self.exclude_btn, "screening-exclude"), (self.maybe_btn, "screening-maybe"),
                       (self.undo_btn, "screening-undo"), (self.reason, "screening-reason"),
                       (self.note, "screening-note"), (self.message, "screening-message"),
                       (self.card, "screening-card")]:
            w.add_class(cls)

        self.include_btn.on_click(lambda _: self.decide("include"))
        self.exclude_btn.on_click(lambda _: self.decide("exclude"))
        self.maybe_btn.on_click(lambda _: self.decide("maybe"))
        self.undo_btn.on_click(lambda _: self.undo())
        self.reviewer_box.observe(lambda _: self.refresh(requeue=True), names="value")
        self.stage_box.observe(lambda _: self.refresh(requeue=True), names="value")
        self._keys = None
        self._queue: pd.DataFrame | None = None
        try:
            from ipyevents import Event

            self._keys = Event(source=self.card, watched_events=["keydown"])
            self._keys.on_dom_event(self._on_key)
        except ImportError:  # pragma: no cover - ipyevents is a dependency; shortcuts are a convenience
            pass
        self.refresh()

    # ----- state ---------------------------------------------------------------------------
    @property
    def reviewer(self) -> str | None:
        return self.reviewer_box.value

    @property
    def stage(self) -> str:
        return self.stage_box.value

    def queue(self) -> pd.DataFrame:
        # Computed when the stage or reviewer changes: at full text it needs every title/abstract outcome.
        if self._queue is None:
            self._queue = eligible_works(self.pool, self.store, self.stage)
        return self._queue

    def done_ids(self) -> set[str]:
        if not self.reviewer:
            return set()
        return set(self.store.reviewer_decisions(self.stage, self.reviewer)["work_id"])

    def next_work(self, done: set[str] | None = None) -> dict | None:
        done = self.done_ids() if done is None else done
        for row in self.queue().to_dict("records"):
            if row["work_id"] not in done:
                return row
        return None

    # ----- actions -------------------------------------------------------------------------
    def refresh(self, show: dict | None = None, requeue: bool = False) -> None:
        if requeue:
            self._queue = None
        ids = reason_ids(self.protocol, self.stage)
        labels = reason_labels(self.protocol, self.stage, self.lang)
        if list(v for _, v in self.reason.options[1:]) != ids:
            self.reason.options = [("—", None)] + [(f"{labels[i]} ({i})", i) for i in ids]
        self.reason.value = None
        self.note.value = ""
        if not self.reviewer:
            self._show(None, "Choose a reviewer to start." if self.lang == "en" else "Velg screener for å starte.")
            return
        done = self.done_ids()
        self._show(show if show is not None else self.next_work(done), done=done)

    def decide(self, decision: str) -> dict | None:
        """Record ``decision`` on the work shown, then show the next one. Returns the row written."""
        if self.current is None or not self.reviewer:
            self.message.value = "<b>Nothing to decide.</b>"
            return None
        reason = self.reason.value if decision == "exclude" else None
        try:
            row = self.store.append(self.current["work_id"], self.reviewer, self.stage, decision,
                                    reason=reason, note=self.note.value or None)
        except ReviewError as err:
            self.message.value = f'<span class="screening-error">{html.escape(str(err))}</span>'
            return None
        self.refresh()
        self.message.value = (f"Recorded <b>{html.escape(decision)}</b> for "
                              f"{html.escape(row['work_id'])}.")
        return row

    def undo(self) -> dict | None:
        """Retract this reviewer's last standing decision at this stage and show that work again."""
        if not self.reviewer:
            return None
        last = self.store.last_standing(self.stage, self.reviewer)
        if last is None:
            self.message.value = "Nothing to undo."
            return None
        row = self.store.undo(last["work_id"], self.reviewer, self.stage)
        match = self.pool[self.pool["work_id"] == last["work_id"]].to_dict("records")
        self.refresh(show=match[0] if match else None)
        self.message.value = f"Undid {html.escape(last['decision'])} on {html.escape(last['work_id'])}."
        return row

    def _on_key(self, event: dict) -> None:
        action = KEYS.get(str(event.get("key", "")).lower())
        if event.get("ctrlKey") or event.get("metaKey") or event.get("altKey") or action is None:
            return
        if action == "undo":
            self.undo()
        else:
            self.decide(action)

    # ----- display -------------------------------------------------------------------------
    def _show(self, work: dict | None, empty_text: str | None = None, done: set[str] | None = None) -> None:
        queue = self.queue()
        done = (self.done_ids() if done is None else done) & set(queue["work_id"])
        total = len(queue)
        self.progress.max = max(total, 1)
        self.progress.value = len(done)
        self.progress_label.value = f"{len(done)} / {total}"
        self.current = work
        self.fulltext.clear_output()
        self.message.value = ""
        if work is None:
            self.title.value = html.escape(empty_text or (
                "All works at this stage are screened. Thank you!" if self.lang == "en"
                else "Alle verk i denne fasen er screenet. Takk!"))
            self.meta.value = ""
            self.abstract.value = ""
            for b in (self.include_btn, self.exclude_btn, self.maybe_btn):
                b.disabled = True
            return
        for b in (self.include_btn, self.exclude_btn, self.maybe_btn):
            b.disabled = False
        inc = self.protocol.screening.highlight_include
        exc = self.protocol.screening.highlight_exclude
        self.title.value = highlight(work.get("title"), inc, exc) or "<i>(no title)</i>"
        parts = [html.escape(_text(work.get("authors"))), html.escape(_text(work.get("year")))]
        if _text(work.get("container")):
            parts.append(f"<i>{html.escape(_text(work.get('container')))}</i>")
        parts.append("sources: " + html.escape(_text(work.get("sources"))))
        parts.append(f'<span class="screening-work-id">{html.escape(work["work_id"])}</span>')
        self.meta.value = " · ".join(p for p in parts if p)
        abstract = highlight(work.get("abstract"), inc, exc)
        self.abstract.value = abstract or "<i>(no abstract)</i>"
        if self.stage == "full_text":
            self._show_fulltext(work)

    def _show_fulltext(self, work: dict) -> None:
        from IPython.display import HTML, display

        path = find_fulltext(self.review_dir, work, self._index)
        with self.fulltext:
            if path is None:
                display(HTML("<i>No full text in fulltexts/ for this work.</i>"))
            else:
                # A link relative to the notebook: JupyterLab opens it in a new tab.
                rel = os.path.relpath(path, os.getcwd())
                display(HTML(f'<a class="screening-fulltext-link" href="{html.escape(rel, quote=True)}" '
                             f'target="_blank">Full text: {html.escape(path.name)}</a>'))

    def show(self):
        from IPython.display import display

        display(self.widget)
        return self
