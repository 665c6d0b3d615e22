"""Label reports on a ``dask.distributed`` cluster, one output part per input partition.

The inputs are cut into partitions (line ranges of a JSONL file, row groups of
a Parquet file, a CSV file, a run of ``.txt`` files); each worker labels a
partition and writes its part itself, atomically, then a small record of it
under ``_parts/``. A part whose record exists is complete, so a rerun skips it
(the job resumes) and a killed run leaves only whole parts. ``_job.json``
names the model and the inputs, so a folder holding another job's parts is
refused; ``_SUCCESS`` closes a finished job with its row counts.

The model file is read, checked against its sha256 and scattered to every
worker once; each worker process unpickles it once and keeps it, keyed by that
hash. A model with embeddings embeds on the worker with the worker's own cache
(``~/.cache/textcls`` of the user the worker runs as).

Example
-------
>>> summary = predict_on_dask("runs/tfidf", ["piles/*.jsonl"], "local:2",
...                           "labels/")                                  # doctest: +SKIP
>>> summary["written"], summary["rejected"]                               # doctest: +SKIP
(99998, 2)
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .atomic import open_atomic, write_atomic
from .batch import rejects_jsonl
from .corpus import Report, iter_reports, read_jsonl_rows, validate_rows
from .errors import InputError, TextclsError
from .output import prediction_record

PARQUET_COLUMNS = ("id", "theme", "theme_scores", "actions", "action_scores", "evidence", "figures")
JSON_COLUMNS = ("theme_scores", "action_scores", "evidence", "figures")
_OURS = ("part-*", "_parts", "_rejects", "_SUCCESS", "_job.json", ".part-*")
_MODELS: dict[str, object] = {}  # per worker process: unpickled models by sha256


@dataclass(frozen=True)
class Partition:
    """A slice of one input: ``kind`` jsonl (bytes ``start:stop``, first line
    ``first_line``), parquet (row group ``start``), csv or txt (one file), or
    txtdir (files ``start:stop`` of a folder, sorted by name)."""

    kind: str
    path: str
    start: int = 0
    stop: int = 0
    first_line: int = 1

    def reports(self) -> Iterator[Report | InputError]:
        path = Path(self.path)
        if self.kind == "jsonl":
            rows = read_jsonl_rows(path, self.start, self.stop, self.first_line)
            return validate_rows(rows, path, default_ids=True, unique_ids=False)
        if self.kind == "parquet":
            return validate_rows(self._parquet_rows(), path, default_ids=True, unique_ids=False)
        if self.kind == "txtdir":
            files = sorted(path.glob("*.txt"))[self.start : self.stop]
            return (item for file in files for item in iter_reports(file, unique_ids=False))
        return iter_reports(path, default_ids=True, unique_ids=False)

    def _parquet_rows(self) -> Iterator[tuple[int | None, dict | InputError]]:
        import pyarrow.parquet as pq

        source = pq.ParquetFile(self.path)
        names = [c for c in ("id", "title", "text") if c in source.schema_arrow.names]
        table = source.read_row_group(self.start, columns=names)
        for offset, row in enumerate(table.to_pylist()):
            yield self.first_line + offset, row


def plan(inputs: Sequence[str], rows_per_part: int = 1000) -> list[Partition]:
    """Cut files, globs, folders of ``.txt`` and Parquet files into partitions.

    Raises
    ------
    InputError
        A glob that matches nothing, a missing file, a Parquet file without ``text``.
    """
    partitions: list[Partition] = []
    for pattern in inputs:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not matches:
            raise InputError("the glob matches no file", pattern)
        for name in matches:
            partitions.extend(_partitions_of(Path(name), rows_per_part))
    return partitions


def _partitions_of(path: Path, rows: int) -> list[Partition]:
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError("no such file or folder", path)
    if path.is_dir():
        count = len(list(path.glob("*.txt")))
        if not count:
            raise InputError("folder holds no .txt files", path)
        return [Partition("txtdir", str(path), i, i + rows) for i in range(0, count, rows)]
    if suffix in (".jsonl", ".json", ".ndjson"):
        return _jsonl_partitions(path, rows)
    if suffix == ".parquet":
        return _parquet_partitions(path)
    if suffix in (".csv", ".txt"):
        return [Partition(suffix[1:], str(path))]
    raise InputError(
        "unsupported file type; use .jsonl, .csv, .parquet, .txt or a folder of .txt", path
    )


def _jsonl_partitions(path: Path, rows: int) -> list[Partition]:
    partitions, start, first, position = [], 0, 1, 0
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if number - first == rows:
                partitions.append(Partition("jsonl", str(path), start, position, first))
                start, first = position, number
            position += len(raw)
    if position > start:
        partitions.append(Partition("jsonl", str(path), start, position, first))
    return partitions


def _parquet_partitions(path: Path) -> list[Partition]:
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        raise InputError(f"not a readable Parquet file ({exc})", path) from None
    columns = source.schema_arrow.names
    if "text" not in columns:
        raise InputError(
            f"no 'text' column; found {', '.join(columns) or 'none'}", path, field="text"
        )
    partitions, first = [], 1
    for group in range(source.num_row_groups):
        partitions.append(Partition("parquet", str(path), group, group + 1, first))
        first += source.metadata.row_group(group).num_rows
    return partitions


def _job_fingerprint(
    model_sha256: str, partitions: Sequence[Partition], output_format: str
) -> dict:
    files = sorted({p.path for p in partitions})
    stamps = {f: [Path(f).stat().st_size, Path(f).stat().st_mtime_ns] for f in files}
    job = {
        "model_sha256": model_sha256,
        "format": output_format,
        "inputs": stamps,
        "partitions": [asdict(p) for p in partitions],
    }
    job["job"] = hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()[:16]
    return job


def _prepare_output(folder: Path, job: dict, overwrite: bool) -> None:
    """Refuse (or, with ``overwrite``, clear) another job's parts; drop stale temporaries."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "_job.json"
    ours = [p for pattern in _OURS for p in folder.glob(pattern)]
    if ours and (not marker.exists() or json.loads(marker.read_text()).get("job") != job["job"]):
        if not overwrite:
            raise TextclsError(
                f"{folder}: holds the parts of another job (other model, "
                "inputs or format); use --overwrite to replace them or "
                "choose another folder"
            )
        for path in ours:
            _remove(path)
    _drop_temporaries(folder)
    write_atomic(marker, json.dumps(job, indent=1).encode())


def _drop_temporaries(folder: Path) -> None:
    """Remove what killed workers left half-written: temporaries, never a finished part."""
    for stale in [*folder.glob(".part-*"), *folder.glob("_parts/.*"), *folder.glob("_rejects/.*")]:
        stale.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    if path.is_dir():
        for child in path.iterdir():
            _remove(child)
        path.rmdir()
    else:
        path.unlink()


def _model(blob: bytes, digest: str):
    if digest not in _MODELS:
        import joblib

        if hashlib.sha256(blob).hexdigest() != digest:
            raise TextclsError("the model bytes a worker received do not match their sha256")
        _MODELS.clear()  # one model per worker process at a time
        _MODELS[digest] = joblib.load(io.BytesIO(blob))
    return _MODELS[digest]


def label_partition(
    blob: bytes,
    digest: str,
    partition: Partition,
    name: str,
    folder: str,
    output_format: str,
    chunk_size: int = 1000,
) -> dict:
    """Label one partition and write its part, its rejects and its record (run on a worker).

    Returns the record: ``part``, ``read``, ``rows``, ``rejected``.
    """
    out = Path(folder)
    done = out / "_parts" / f"{name}.json"
    if done.exists():  # a task run twice, e.g. after its worker died once the part was in
        return json.loads(done.read_text())
    model = _model(blob, digest)
    records, rejected, chunk = [], [], []
    try:
        for item in partition.reports():
            if isinstance(item, Report):
                chunk.append(item)
            else:
                rejected.append(item)
            if len(chunk) == chunk_size:
                records += _labeled(model, chunk)
                chunk = []
    except InputError as problem:  # the whole file (a CSV's header, its encoding): as Batch
        rejected.append(problem)
    records += _labeled(model, chunk)
    _write_part(out / f"{name}.{output_format}", records, output_format)
    if rejected:
        write_atomic(out / "_rejects" / f"{name}.jsonl", rejects_jsonl(rejected))
    record = {
        "part": name,
        "source": asdict(partition),
        "read": len(records) + len(rejected),
        "rows": len(records),
        "rejected": len(rejected),
    }
    write_atomic(done, json.dumps(record).encode())
    return record


def _labeled(model, reports: list[Report]) -> list[dict]:
    if not reports:
        return []
    predictions = model.predict([r.raw_document for r in reports])
    return [prediction_record(r, p) for r, p in zip(reports, predictions)]


def _write_part(path: Path, records: list[dict], output_format: str) -> None:
    if output_format == "jsonl":
        with open_atomic(path) as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [(c, pa.list_(pa.string()) if c == "actions" else pa.string()) for c in PARQUET_COLUMNS]
    )
    # Nested scores, evidence and figures as JSON strings: any reader can open the parts.
    columns = {
        c: [json.dumps(r[c], ensure_ascii=False) if c in JSON_COLUMNS else r[c] for r in records]
        for c in PARQUET_COLUMNS
    }
    with open_atomic(path, "wb") as out:
        pq.write_table(pa.table(columns, schema=schema), out)


def connect(address: str):
    """A ``dask.distributed`` client: ``local`` or ``local:N`` starts a LocalCluster of N
    worker processes (one thread each), anything else is a scheduler's address.

    Raises
    ------
    TextclsError
        A bad ``local:N`` or a scheduler that does not answer within 8 s.
    """
    from dask.distributed import Client, LocalCluster

    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2] or "0"
        if not count.isdigit():
            raise TextclsError(f"--dask {address}: use local or local:N with N a number")
        workers = int(count) or os.cpu_count() or 1
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster)
    try:
        # 8 s, so the whole command fails within 10 s, imports included.
        return Client(address, timeout="8s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise TextclsError(
            f"--dask {address}: no scheduler answered within 8 s ({type(exc).__name__})"
        ) from None


def predict_on_dask(
    model: str | Path,
    inputs: Sequence[str],
    address: Any,
    output: str | Path,
    *,
    output_format: str = "parquet",
    overwrite: bool = False,
    chunk_size: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Label ``inputs`` on a cluster into a folder of parts; return the ``_SUCCESS`` manifest.

    Parameters
    ----------
    address : str or Client
        ``local[:N]``, ``tcp://HOST:PORT``, or a connected ``dask.distributed.Client``.
    chunk_size : int
        Rows per partition of a JSONL file, and reports labeled at a time.
    """
    from .persist import read_verified

    blob, digest = read_verified(model)
    partitions = plan(inputs, chunk_size)
    folder = Path(output)
    job = _job_fingerprint(digest, partitions, output_format)
    _prepare_output(folder, job, overwrite)
    width = max(5, len(str(len(partitions) - 1)))
    names = [f"part-{i:0{width}d}" for i in range(len(partitions))]
    todo = [i for i, n in enumerate(names) if not (folder / "_parts" / f"{n}.json").exists()]
    client = connect(address) if isinstance(address, str) else address
    started = time.perf_counter()
    try:
        if todo:
            (folder / "_SUCCESS").unlink(missing_ok=True)  # not complete until they are in
            # Scatter once to every worker; each task gets a reference, not the bytes.
            [shared] = client.scatter([blob], broadcast=True, hash=False)
            futures = [
                client.submit(
                    label_partition,
                    shared,
                    digest,
                    partitions[i],
                    names[i],
                    str(folder.resolve()),
                    output_format,
                    chunk_size,
                    key=f"textcls-{job['job']}-{names[i]}",
                    pure=False,
                )
                for i in todo
            ]
            client.gather(futures)
    finally:
        _drop_temporaries(folder)
        if isinstance(address, str):
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    parts = [json.loads((folder / "_parts" / f"{n}.json").read_text()) for n in names]
    manifest = {
        "job": job["job"],
        "format": output_format,
        "parts": len(parts),
        "skipped": len(parts) - len(todo),
        "read": sum(p["read"] for p in parts),
        "written": sum(p["rows"] for p in parts),
        "rejected": sum(p["rejected"] for p in parts),
        "seconds": round(time.perf_counter() - started, 2),
        "counts": {p["part"]: {"rows": p["rows"], "rejected": p["rejected"]} for p in parts},
    }
    write_atomic(folder / "_SUCCESS", json.dumps(manifest, indent=1).encode())
    if progress is not None and manifest["rejected"]:
        progress(f"warning: {manifest['rejected']} rows rejected; reasons in {folder / '_rejects'}")
    return manifest
