"""``review run``: execute the stage notebooks in order with papermill and assemble the report.

Like papermill's own execute step, a failed stage still leaves its executed notebook, with the
error in it, in ``output/notebooks/`` before the error is raised.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import ReviewError, StageError
from .paths import OutputPaths, ReviewPaths
from .protocol import load_protocol
from .report import assemble

PACKAGE_ROOT = Path(__file__).resolve().parent
DEFAULT_NOTEBOOKS = PACKAGE_ROOT.parent / "notebooks"


@dataclass(frozen=True)
class Stage:
    name: str  # e.g. "02_screening"

    @property
    def short(self) -> str:
        return self.name.split("_", 1)[1]

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]


def discover_stages(notebooks_dir: Path = DEFAULT_NOTEBOOKS) -> list[Stage]:
    """The numbered notebooks, in the order they run."""
    found = sorted(p.stem for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise ReviewError(f"{notebooks_dir}: no numbered stage notebooks (NN_name.ipynb) found")
    return [Stage(n) for n in found]


def select_stages(stages: list[Stage], wanted: list[str] | None) -> list[Stage]:
    """Pick stages by full name (02_screening), short name (screening) or number (2 or 02)."""
    if not wanted:
        return stages
    chosen = []
    for w in wanted:
        matches = [s for s in stages if w in (s.name, s.short, s.number, s.number.lstrip("0"))]
        if not matches:
            names = ", ".join(s.name for s in stages)
            raise ReviewError(f"--stage {w!r}: no such stage; choose from {names}")
        chosen.extend(m for m in matches if m not in chosen)
    return sorted(chosen, key=lambda s: s.name)


def _first_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0] if text else ""


def run_stage(stage: Stage, review: ReviewPaths, out: OutputPaths, *, notebooks_dir: Path,
              parameters: dict, progress: bool = True) -> Path:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    src = Path(notebooks_dir) / f"{stage.name}.ipynb"
    dst = out.notebooks / f"{stage.name}.ipynb"
    try:
        pm.execute_notebook(
            str(src),
            str(dst),
            parameters=parameters,
            cwd=str(notebooks_dir),
            kernel_name="python3",
            progress_bar={"desc": f"  {stage.name}", "leave": False, "unit": "cell"} if progress else False,
            log_output=False,
            report_mode=False,
            # The kernel's start-up warnings would bury the one-line cause printed on failure.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError as exc:
        cause = f"{exc.ename}: {_first_line(exc.evalue)}" if exc.evalue else exc.ename
        raise StageError(
            f"stage {stage.name} failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
            f"{cause} -- the executed notebook with the error is {dst}"
        ) from None
    return dst


def run(review_dir: str | Path = ".", out_dir: str | Path | None = None, *,
        stages: list[str] | None = None, lang: str | None = None, lenient: bool = False,
        notebooks_dir: str | Path = DEFAULT_NOTEBOOKS, progress: bool = True, dpi: int | None = None) -> Path:
    """Run the selected stages (all by default) and write ``<out>/report.html``. Returns its path."""
    import os

    from tqdm.auto import tqdm

    from .outputs import DPI_ENV

    if dpi is not None:
        if not 50 <= dpi <= 2400:
            raise ReviewError(f"--dpi {dpi}: choose a resolution between 50 and 2400 (journals ask for 300 or 600)")
        os.environ[DPI_ENV] = str(dpi)  # the stage kernels inherit it

    review = ReviewPaths.of(review_dir)
    protocol = load_protocol(review.root)  # fails fast, before any notebook starts
    out = OutputPaths.of(out_dir if out_dir is not None else review.root / "output")
    notebooks_dir = Path(notebooks_dir).resolve()
    all_stages = discover_stages(notebooks_dir)
    selected = select_stages(all_stages, stages)
    if selected == all_stages and out.report_parts.exists():
        # A full run rebuilds every section; stale sections of removed stages must not linger.
        shutil.rmtree(out.report_parts)
    out.ensure()
    parameters = {
        "review_dir": str(review.root),
        "out_dir": str(out.root),
        "lang": lang or protocol.language_default,
    }
    bar = tqdm(selected, desc="review run", unit="stage", disable=not progress)
    for stage in bar:
        bar.set_postfix_str(stage.name)
        params = dict(parameters)
        if stage.short == "identification":
            params["lenient"] = lenient
        run_stage(stage, review, out, notebooks_dir=notebooks_dir, parameters=params, progress=progress)
    bar.close()
    return assemble(
        out.root,
        title=protocol.title(parameters["lang"]),
        subtitle=f"{protocol.method}. Reported following {protocol.reporting_guideline}.",
        banner=protocol.demonstration_note or "",
    )
