"""Writing tables and figures so that re-runs are byte-identical and nothing is half-written."""
from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FIGURE_FORMATS = ("svg", "png", "pdf")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename, so a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def neutralise_formula(value):
    """Prefix text that Excel would run as a formula with a quote (OWASP CSV-injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def table_to_csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def save_table(df: pd.DataFrame, name: str, tables_dir: Path, *, xlsx: bool = False,
               wrap_columns: Iterable[str] = ()) -> Path:
    """Save ``df`` as ``tables_dir/name.csv`` (and a formatted ``name.xlsx`` if asked).

    CSV is UTF-8 with ``\\n`` line endings and no index, so unchanged input gives identical bytes.
    """
    tables_dir = Path(tables_dir)
    csv_path = tables_dir / f"{name}.csv"
    atomic_write_bytes(csv_path, table_to_csv_bytes(df))
    if xlsx:
        save_xlsx(df, tables_dir / f"{name}.xlsx", wrap_columns=wrap_columns)
    return csv_path


def save_xlsx(df: pd.DataFrame, path: Path, *, wrap_columns: Iterable[str] = (),
              sheet_name: str = "table") -> Path:
    """A spreadsheet a person opens: bold frozen header, wrapped long text, no live formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wrap = set(wrap_columns)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name[:31]
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([_xlsx_value(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    for i, col in enumerate(df.columns, start=1):
        letter = get_column_letter(i)
        texts = [str(col)] + ["" if v is None else str(v) for v in df[col].head(200).tolist()]
        longest = max((len(t) for t in texts), default=8)
        is_wrapped = col in wrap or longest > 60
        ws.column_dimensions[letter].width = 60 if is_wrapped else max(8, min(longest + 2, 40))
        if is_wrapped:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Fixed document dates keep the file stable between runs.
    fixed = datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "review"
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(Path(path), _fixed_zip_times(buf.getvalue()))
    return Path(path)


def _fixed_zip_times(data: bytes) -> bytes:
    """Re-pack a zip (an XLSX) with every entry dated 1980-01-01, so re-runs give the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here whatever the workbook says.
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def _xlsx_value(v):
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, (list, tuple, set)):
        v = "; ".join(map(str, v))
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    return neutralise_formula(v)


DEFAULT_DPI = 300
DPI_ENV = "REVIEW_FIGURE_DPI"  # `review run --dpi` sets it for the stage kernels


def figure_dpi() -> int:
    """The PNG resolution of this run: ``--dpi`` when given, else 300."""
    value = os.environ.get(DPI_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_DPI


def save_figure(fig, name: str, figures_dir: Path, *, dpi: int | None = None) -> dict[str, Path]:
    """Save a matplotlib figure as SVG, PNG (300 dpi, or ``--dpi``) and PDF with no timestamps in them."""
    import matplotlib

    dpi = dpi or figure_dpi()
    matplotlib.rcParams["svg.hashsalt"] = "review"
    # Keep text as text in SVG, so numbers can be searched, tested and copied.
    matplotlib.rcParams["svg.fonttype"] = "none"
    # Journals ask for embedded TrueType fonts in PDF, not Type 3 glyph procedures.
    matplotlib.rcParams["pdf.fonttype"] = 42
    figures_dir = Path(figures_dir)
    paths: dict[str, Path] = {}
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "png": {"Software": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    for fmt in FIGURE_FORMATS:
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", metadata=metadata[fmt])
        path = figures_dir / f"{name}.{fmt}"
        atomic_write_bytes(path, buf.getvalue())
        paths[fmt] = path
    return paths
