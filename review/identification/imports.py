"""Read every export the protocol names into one record table, with provenance."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ParseError, ProtocolError
from ..paths import ReviewPaths
from ..protocol import Protocol
from .encoding import decode_bytes
from .formats import FORMATS
from .records import empty_records, problems_frame, to_frame, unique_ids

FILE_COLUMNS = ["source_id", "file", "format", "encoding", "bom", "newline", "records_read", "records_skipped"]


@dataclass
class ImportResult:
    records: pd.DataFrame            # records.csv (RECORD_COLUMNS)
    problems: pd.DataFrame           # import_problems.csv: source_id, file, line, record, reason
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FILE_COLUMNS))


def read_file(path: str | Path, fmt: str, *, source: str = "file", source_kind: str = "database",
              label: str | None = None, lenient: bool = False):
    """Read one export. Returns ``(records, problems, info)``; raises ParseError unless lenient."""
    path = Path(path)
    label = label or path.name
    if fmt not in FORMATS:
        raise ParseError(label, f"unknown format {fmt!r}; use one of {', '.join(sorted(FORMATS))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(label, f"cannot open the export ({exc.strerror}); check the path in protocol.yaml") from None
    decoded = decode_bytes(data, label)
    raw_records, problems = FORMATS[fmt].read(decoded.text, label, lenient=lenient)
    records = to_frame(raw_records, source=source, source_kind=source_kind, file=label)
    prob = problems_frame([{"source_id": source, "file": label, "line": p.line, "record": p.record,
                            "reason": p.reason} for p in problems])
    info = {"source_id": source, "file": label, "format": fmt, "encoding": decoded.encoding,
            "bom": decoded.bom, "newline": {"\r\n": "CRLF", "\r": "CR", "\n": "LF"}[decoded.newline],
            "records_read": len(records), "records_skipped": len(prob)}
    return records, prob, info


def read_sources(protocol: Protocol, review_dir: str | Path, *, lenient: bool = False,
                 progress: bool = True) -> ImportResult:
    """Every file of every source, in protocol order; rows sorted by source order, file, position."""
    paths = ReviewPaths.of(review_dir)
    jobs = []
    for source in protocol.sources:
        if source.format not in FORMATS:
            raise ProtocolError(paths.protocol, f"source {source.id!r} has format {source.format!r}, which no "
                                f"reader knows; use one of {', '.join(sorted(FORMATS))}")
        for f in source.files:
            if (source, f) in jobs:
                raise ProtocolError(paths.protocol, f"source {source.id!r} lists {f!r} twice; remove the repeat")
            jobs.append((source, f))
    if progress:
        from tqdm.auto import tqdm

        jobs_iter = tqdm(jobs, desc="Reading exports", unit="file")
    else:
        jobs_iter = jobs
    frames, problems, infos = [], [], []
    for source, f in jobs_iter:
        records, prob, info = read_file(paths.root / f, source.format, source=source.id,
                                        source_kind=source.kind, label=Path(f).as_posix(), lenient=lenient)
        frames.append(records)
        problems.append(prob)
        infos.append(info)
    records = pd.concat(frames, ignore_index=True) if frames else empty_records()
    if frames:
        records = records.astype(empty_records().dtypes.to_dict())
    prob = pd.concat(problems, ignore_index=True) if problems else problems_frame([])
    if len(prob) == 0:
        prob = problems_frame([])
    files = pd.DataFrame(infos, columns=FILE_COLUMNS)
    # The same record text in two files of one source (overlapping export batches): the later
    # copy gets a suffix, so files added later never change an earlier id.
    records["record_id"] = unique_ids(records["record_id"].tolist())
    return ImportResult(records=records.reset_index(drop=True), problems=prob.reset_index(drop=True), files=files)
