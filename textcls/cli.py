"""The ``textcls`` command line.

Exit codes: 0 success; 2 a problem with the command, a config or an input file,
reported on one line; 1 anything unexpected (set ``TEXTCLS_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import List, Optional

import typer

from .bundled import bundled_file
from .errors import InputError, TextclsError
from .labels import DEFAULT_LABELS
from .output import evidence_lines, figure_records, write_figures, write_predictions

DEFAULT_CORPUS = bundled_file("corpus/reports.jsonl")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Sort, count and explain reports of internet-governance enforcement.",
)
corpus_app = typer.Typer(no_args_is_help=True, help="Inspect, validate and split a corpus.")
app.add_typer(corpus_app, name="corpus")


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"textcls {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_print_version,
        help="Print the version and exit.",
    ),
) -> None:
    """Options before the command (the app's help text is set on ``app``)."""


@app.command()
def init(
    folder: Path = typer.Argument(..., help="The working folder to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite files of the same names."),
) -> None:
    """Write a working folder: the shipped configs, the starter corpus and experiments/.

    Example: textcls init work && textcls run work/configs/default.yaml
    """
    from .bundled import init_folder

    written = init_folder(folder, force=force)
    typer.echo(
        f"wrote {len(written)} files into {folder}; "
        f"next: textcls run {folder / 'configs' / 'default.yaml'}"
    )


def _run_and_summarise(
    config: Path,
    stages: tuple[str, ...],
    quiet: bool,
    data: Optional[Path] = None,
    overrides: Optional[dict] = None,
) -> None:
    from .config import load_config
    from .experiment import run_experiment

    log = (lambda message: None) if quiet else (lambda message: _say(f"· {message}"))
    result = run_experiment(load_config(config, overrides), stages, log=log, data=data)
    typer.echo(_summary(result.metrics, result.path))


@app.command()
def run(
    config: Path = typer.Argument(..., help="Experiment YAML, e.g. configs/default.yaml"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print the summary."),
) -> None:
    """The main job: discover topics, train the classifier, evaluate, save the model.

    Example: textcls run configs/default.yaml
    """
    _run_and_summarise(config, ("topics", "train"), quiet)


@app.command()
def train(
    config: Path = typer.Argument(..., help="Experiment YAML."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Train and evaluate the classifier only (no topic stage).

    Example: textcls train configs/tfidf_logreg.yaml
    """
    _run_and_summarise(config, ("train",), quiet)


@app.command()
def topics(
    config: Path = typer.Argument(..., help="Experiment YAML (its topics section)."),
    data: Optional[Path] = typer.Option(
        None,
        help="Reports to cluster instead of the "
        "config's corpus: JSONL, CSV, .txt or a folder; "
        "labels optional.",
    ),
    sample: Optional[int] = typer.Option(
        None,
        min=2,
        help="Fit on a uniform sample of N reports and assign the rest to their nearest "
        "topic, in chunks: for piles too large to cluster whole (sets topics.sample).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Discover topics and map them to themes; write topics.csv, assignments.csv, figures.

    Examples: textcls topics configs/default.yaml
              textcls topics configs/default.yaml --data my_reports/
              textcls topics configs/fast.yaml --data pile.jsonl --sample 5000
    """
    overrides = {"topics": {"sample": sample}} if sample is not None else None
    _run_and_summarise(config, ("topics",), quiet, data, overrides)


@app.command("audit")
def audit_command(
    config: Path = typer.Argument(..., help="Experiment YAML: its corpus, features, heads."),
    top: int = typer.Option(20, "--top", "-n", min=0, help="How many to print."),
    output: Path = typer.Option(
        Path("audit.csv"), "--output", "-o", help="Where to write every flagged label (CSV)."
    ),
    folds: int = typer.Option(5, min=2, help="Folds grouped by event; fewer is quicker."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Find likely label errors: out-of-fold probabilities and confident learning (cleanlab).

    Examples: textcls audit configs/tfidf_logreg.yaml --top 30
              textcls audit configs/default.yaml --folds 3 -o my_audit.csv
    """
    from .config import load_config
    from .label_audit import audit

    log = (lambda message: None) if quiet else (lambda message: _say(f"· {message}"))
    result = audit(load_config(config), folds=folds, log=log)
    result.to_csv(output)
    if top:
        typer.echo(result.table(top))
    typer.echo(
        f"{len(result.issues)} labels flagged on {result.flagged_reports} of "
        f"{len(result.corpus)} reports; all of them in {output}"
    )
    for message in result.skipped:
        typer.echo(f"note: {message}")


@app.command("eval")
def evaluate_command(
    model: Path = typer.Argument(..., help="A run folder, a model.pkl or a .skops file."),
    data: Path = typer.Option(
        ...,
        help="Labeled JSONL/CSV, or a folder of .txt with a "
        "labels.jsonl beside them (e.g. ../shared/seeds).",
    ),
    show: bool = typer.Option(True, "--show/--no-show", help="List each report's labels."),
    json_out: bool = typer.Option(False, "--json", help="Print the full metrics as JSON."),
) -> None:
    """Score a saved model on labeled reports.

    Example: textcls eval experiments/default/<run> --data ../shared/seeds
    """
    from .corpus import load_corpus
    from .experiment import evaluate, headline
    from .labels import LabelScheme
    from .persist import load_model_and_info, model_file

    classifier, info = load_model_and_info(model)
    labels = info.get("labels")
    scheme = LabelScheme.from_dict(labels, str(model_file(model))) if labels else None
    corpus = load_corpus(data, scheme, require_labels=True)
    metrics, rows = evaluate(classifier, corpus)
    if json_out:
        typer.echo(json.dumps(metrics, indent=2))
        return
    if show:
        wrong = [
            set(r["predicted_actions"].split(";")) - set(r["gold_actions"].split(";")) - {""}
            for r in rows
        ]
        missed = [
            set(r["gold_actions"].split(";")) - set(r["predicted_actions"].split(";")) - {""}
            for r in rows
        ]
        found = classifier.evidence_for(
            [r.raw_document for r in corpus], [sorted(w | m) for w, m in zip(wrong, missed)]
        )
        for row, bad, lost, evidence in zip(rows, wrong, missed, found):
            mark = "ok " if row["correct_theme"] else "XX "
            typer.echo(
                f"{mark}{row['id']}: theme {row['predicted_theme']} "
                f"(gold {row['gold_theme']}); actions [{row['predicted_actions']}] "
                f"(gold [{row['gold_actions']}])"
            )
            for line in evidence_lines(
                {a: evidence[a] for a in sorted(bad) if a in evidence},
                {a: evidence[a] for a in sorted(lost) if a in evidence},
            ):
                typer.echo(line)
    typer.echo(" ".join(f"{k}={v}" for k, v in headline(metrics).items()))


@app.command()
def predict(
    model: Path = typer.Argument(..., help="A run folder, a model.pkl or a .skops file."),
    paths: Optional[List[Path]] = typer.Argument(
        None,
        help="JSONL/CSV/.txt files or folders; '-' or nothing reads stdin "
        "(JSONL objects with 'text', or one report per line). With --dask also "
        "globs and Parquet files.",
    ),
    output_format: Optional[str] = typer.Option(
        None,
        "--format",
        "-f",
        help="jsonl (default), csv or table; with --dask parquet (default) or jsonl",
    ),
    on_error: str = typer.Option(
        "skip",
        "--on-error",
        help="skip: set bad rows aside "
        "with a warning and label the rest; fail: stop at "
        "the first bad row.",
    ),
    rejects: Optional[Path] = typer.Option(
        None, "--rejects", help="Write the rejected rows and their reasons here (JSONL)."
    ),
    output: Optional[Path] = typer.Option(
        None,
        "--output",
        "-o",
        help="Write here instead of stdout (atomically: a "
        "temporary name, then a rename); with --dask the output folder.",
    ),
    chunk_size: int = typer.Option(
        1000,
        "--chunk-size",
        min=1,
        help="Reports read, "
        "labeled and written at a time; with --dask also "
        "the lines of a JSONL file per partition.",
    ),
    dask: Optional[str] = typer.Option(
        None,
        "--dask",
        help="Run on dask.distributed: local[:N] starts N worker "
        "processes here, tcp://HOST:PORT uses a running scheduler.",
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="With --dask: replace another job's parts in the output folder."
    ),
) -> None:
    """Label reports with a saved model, a chunk at a time, in input order.

    Bad rows are skipped with a warning naming file, line and reason; the last
    line on stderr is "read N = written W + rejected R". Exit code 0 when at
    least one report was labeled (even if rows were skipped), 2 when none could
    be (or, with --on-error fail, at the first bad row). A row without an id
    gets FILE:LINE.

    Examples: textcls predict experiments/default/<run> new_reports.jsonl --format table
              echo "Police closed 30 gambling sites" | textcls predict experiments/default/<run>
              textcls predict <run> big.jsonl --rejects rejected.jsonl -o labels.jsonl
              textcls predict <run> 'piles/*.jsonl' --dask local:2 -o labels/
    """
    from .atomic import open_atomic
    from .batch import Batch
    from .persist import load_model

    if on_error not in ("skip", "fail"):
        raise typer.BadParameter("use skip or fail", param_hint="--on-error")
    if dask is not None:
        if on_error == "fail" or rejects is not None:
            raise typer.BadParameter(
                "with --dask bad rows go to OUTDIR/_rejects/ and the job goes on",
                param_hint="--on-error/--rejects",
            )
        _predict_on_dask(
            model, paths or [], dask, output, output_format or "parquet", overwrite, chunk_size
        )
        return
    output_format = output_format or "jsonl"
    if output_format not in ("jsonl", "csv", "table"):
        raise typer.BadParameter("use jsonl, csv or table", param_hint="--format")
    classifier = load_model(model)  # a bad model fails before any input is read
    batch = Batch(
        paths or [Path("-")],
        on_error=on_error,  # type: ignore[arg-type]
        warn=lambda problem: _say(f"warning: skipped {problem}"),
    )
    written = 0
    with open_atomic(output) if output else contextlib.nullcontext(sys.stdout) as out:
        for chunk in batch.chunks(chunk_size):
            predictions = classifier.predict([r.raw_document for r in chunk])
            write_predictions(
                chunk,
                predictions,
                output_format,
                lambda line: print(line, file=out),
                header=not written,
            )
            written += len(chunk)
    _finish_batch(batch, written, rejects)


def _predict_on_dask(
    model: Path,
    paths: List[Path],
    address: str,
    output: Optional[Path],
    output_format: str,
    overwrite: bool,
    chunk_size: int,
) -> None:
    from .distributed import predict_on_dask

    if output is None:
        raise typer.BadParameter(
            "--dask writes a folder of parts; give it with -o", param_hint="--output"
        )
    if output_format not in ("parquet", "jsonl"):
        raise typer.BadParameter("with --dask use parquet or jsonl", param_hint="--format")
    if not paths:
        raise typer.BadParameter("--dask reads files, not stdin", param_hint="PATHS")
    summary = predict_on_dask(
        model,
        [str(p) for p in paths],
        address,
        output,
        output_format=output_format,
        overwrite=overwrite,
        chunk_size=chunk_size,
        progress=_say,
    )
    _say(f"parts: {summary['parts']} ({summary['skipped']} already complete) in {output}")
    _say(f"read {summary['read']} = written {summary['written']} + rejected {summary['rejected']}")
    if not summary["written"]:
        _say("error: no report could be labeled")
        raise typer.Exit(2)


@app.command()
def figures(
    paths: List[Path] = typer.Argument(
        ..., help="JSONL/CSV/.txt files or folders; '-' reads stdin."
    ),
    output_format: str = typer.Option("table", "--format", "-f", help="table or jsonl"),
    on_error: str = typer.Option("skip", "--on-error", help="skip or fail, as for predict."),
) -> None:
    """List the enforcement figures reports give (counts and amounts, no model needed).

    Each figure has a value, a unit from a fixed list (accounts, posts, videos,
    websites, apps, platforms, groups, people, cases, gangs, companies, cards,
    yuan, usd, eur, gbp, krw, inr), the action it counts when its sentence says
    one, and its offsets in the report's title or text.

    Examples: textcls figures new_reports.jsonl
              textcls figures reports/ --format jsonl > figures.jsonl
    """
    from .batch import Batch
    from .cleaning import clean_with_offsets
    from .evidence import Located, located_figures

    if output_format not in ("table", "jsonl"):
        raise typer.BadParameter("use table or jsonl", param_hint="--format")
    if on_error not in ("skip", "fail"):
        raise typer.BadParameter("use skip or fail", param_hint="--on-error")
    batch = Batch(
        paths,
        on_error=on_error,  # type: ignore[arg-type]
        warn=lambda problem: _say(f"warning: skipped {problem}"),
    )
    records = []
    reports = list(batch)
    for report in reports:
        raw = report.raw_document
        found = located_figures(Located(raw, *clean_with_offsets(raw)))
        records.extend(figure_records(report, found))
    write_figures(records, output_format, typer.echo)
    _finish_batch(batch, len(reports), None)


@app.command()
def report(
    model: Path = typer.Argument(..., help="A run folder or a model.pkl."),
    paths: List[Path] = typer.Argument(
        ..., help="JSONL/CSV/.txt files or folders of reports, labeled or not."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for report.html and the CSV tables."),
    guide: Optional[Path] = typer.Option(
        None, help="Labeled reports that guide the topics; default: the run's training split."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Write into a folder that holds other files."
    ),
    on_error: str = typer.Option("skip", "--on-error", help="skip or fail, as for predict."),
) -> None:
    """Label, count and cluster a pile of reports; write OUT/report.html and CSV tables.

    The page shows themes and actions over time, figure totals, topics guided
    by the labeled corpus, emerging topics, a filterable table of reports with
    their evidence, and scores when the reports carry labels.

    Example: textcls report experiments/default/<run> my_reports/ -o my_report
    """
    from .batch import Batch
    from .corpus import load_corpus
    from .labels import LabelScheme
    from .persist import load_model, model_file, read_model_info
    from .report import build_report, check_outdir, guide_corpus
    from .report_html import write_report

    if on_error not in ("skip", "fail"):
        raise typer.BadParameter("use skip or fail", param_hint="--on-error")
    check_outdir(out, overwrite)  # before any slow work
    classifier = load_model(model)
    labels = read_model_info(model_file(model)).get("labels")
    scheme = LabelScheme.from_dict(labels, str(model)) if labels else LabelScheme.from_yaml()
    guiding = (
        load_corpus(guide, scheme, require_labels=True)
        if guide is not None
        else guide_corpus(model, scheme)
    )
    batch = Batch(
        paths,
        on_error=on_error,  # type: ignore[arg-type]
        warn=lambda problem: _say(f"warning: skipped {problem}"),
    )
    reports = list(batch)
    if not reports:
        _finish_batch(batch, 0, None)
    page = write_report(build_report(reports, classifier, guiding), out, overwrite=overwrite)
    _say(batch.tally(len(reports)))
    typer.echo(f"wrote {page}")


def _finish_batch(batch, written: int, rejects: Optional[Path]) -> None:
    """Write the rejects file, print the tally; exit 2 when nothing could be labeled."""
    if rejects is not None:
        batch.write_rejects(rejects)
    _say(batch.tally(written))
    if not written:
        _say(
            "error: no report could be labeled" if batch.rejected else "error: no reports to label"
        )
        raise typer.Exit(2)


@app.command()
def export(
    run_dir: Path = typer.Argument(..., help="A run folder or a model.pkl."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write, e.g. model.skops."),
    export_format: str = typer.Option("skops", "--format", help="skops (the only format so far)."),
) -> None:
    """Write a model in a format that is safe to share: it loads without unpickling.

    model.pkl stays the default that downstream code loads; share a .skops file
    with people who should not have to trust your pickle. predict and eval
    accept either.

    Example: textcls export experiments/default/<run> --format skops -o model.skops
    """
    from .persist import export_model

    if export_format != "skops":
        raise typer.BadParameter("use skops", param_hint="--format")
    path = export_model(run_dir, output)
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


def _read_reports(paths: Optional[List[Path]]) -> list:
    """Reports from files and folders, strictly; '-' or no path reads stdin."""
    from .batch import Batch
    from .corpus import load_corpus

    reports: list = []
    for path in paths or [Path("-")]:
        reports.extend(Batch([path], on_error="fail") if str(path) == "-" else load_corpus(path))
    return reports


@app.command()
def suggest(
    model: Path = typer.Argument(..., help="A run folder or a model.pkl."),
    paths: Optional[List[Path]] = typer.Argument(
        None, help="Unlabeled reports: JSONL/CSV/.txt files or folders; '-' or nothing reads stdin."
    ),
    n: int = typer.Option(50, "-n", min=1, help="How many reports to suggest."),
    strategy: str = typer.Option("diverse", help="diverse, uncertainty or random."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write the JSONL here (default: stdout)."
    ),
    seed: int = typer.Option(0, help="Seed of the random strategy."),
) -> None:
    """Which unlabeled reports to label next: uncertain ones, and not near-duplicates.

    Writes one JSON object per report, ready to fill in: id, title, text, empty theme and
    actions, and the model's guesses as hint_theme / hint_actions.

    Examples: textcls suggest experiments/default/<run> new_reports/ -n 50 -o to_label.jsonl
              textcls suggest experiments/default/<run> pile.jsonl --strategy uncertainty
    """
    from .active_learning import STRATEGIES
    from .active_learning import suggest as pick
    from .persist import load_model

    if strategy not in STRATEGIES:
        raise typer.BadParameter(f"use {', '.join(STRATEGIES)}", param_hint="--strategy")
    classifier = load_model(model)
    result = pick(classifier, _read_reports(paths), n=n, seed=seed, strategy=strategy)  # type: ignore[arg-type]  # checked above
    for note in result.notes:
        _say(f"note: {note}")
    if output is None:
        for row in result.rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    result.to_jsonl(output)
    width = max(len(row["id"]) for row in result.rows)
    for rank, row in enumerate(result.rows, start=1):
        typer.echo(
            f"{rank:>4}  {row['id']:<{width}}  {row['uncertainty']:.2f}  "
            f"{row['hint_theme']:<22} {row['title'][:60]}"
        )
    typer.echo(f"wrote {len(result.rows)} reports to label to {output}")


@app.command()
def compare(
    runs: List[Path] = typer.Argument(..., help="Run folders to compare."),
    split: str = typer.Option("test", help="dev or test"),
    markdown: bool = typer.Option(False, "--markdown", help="Markdown table."),
) -> None:
    """Headline metrics of several runs side by side.

    Example: textcls compare experiments/*/2026* --markdown
    """
    from .experiment import headline

    columns = [
        "run",
        "theme_acc",
        "theme_F1",
        "action_microF1",
        "action_macroF1",
        "topic_NMI",
        "topic_purity",
    ]
    rows = []
    for run_dir in runs:
        metrics_path = run_dir / "metrics.json"
        if not metrics_path.exists():
            raise InputError("no metrics.json; is this a finished run folder?", run_dir)
        metrics = json.loads(metrics_path.read_text())
        evaluation = metrics.get("evaluation", {}).get(split)
        head = headline(evaluation) if evaluation else {}
        topic = metrics.get("topics", {}).get("topics_vs_gold", {})
        rows.append(
            [
                f"{metrics.get('name', '?')}/{run_dir.name}",
                head.get("theme_accuracy", ""),
                head.get("theme_macro_f1", ""),
                head.get("action_micro_f1", ""),
                head.get("action_macro_f1", ""),
                topic.get("nmi", ""),
                topic.get("purity", ""),
            ]
        )
    rows = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    if markdown:
        typer.echo("| " + " | ".join(columns) + " |")
        typer.echo("|" + "|".join("---" for _ in columns) + "|")
        for row in rows:
            typer.echo("| " + " | ".join(row) + " |")
        return
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    for row in [columns, *rows]:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)))


@corpus_app.command("stats")
def corpus_stats_command(
    path: Path = typer.Argument(
        DEFAULT_CORPUS, help="Corpus file/folder.", show_default="the starter corpus"
    ),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Counts per theme and action, lengths in words, share of scraped junk.

    Example: textcls corpus stats corpus/reports.jsonl
    """
    from .corpus import corpus_stats, load_corpus

    stats = corpus_stats(load_corpus(path))
    if json_out:
        typer.echo(json.dumps(stats, indent=2))
        return
    typer.echo(f"{stats['reports']} reports ({stats['labeled']} labeled) in {path}")
    for group in ("themes", "actions"):
        typer.echo(f"{group}:")
        for name, count in stats[group].items():
            typer.echo(f"  {name:<24}{count:>6}")
    words = stats["words"]
    typer.echo("words: " + ", ".join(f"{k} {v}" for k, v in words.items()))
    typer.echo(
        f"reports with scraped junk: {stats['with_junk']} "
        f"({stats['with_junk'] / stats['reports']:.0%}); junk share of characters "
        f"{stats['junk_share_of_characters']:.1%}"
    )


@corpus_app.command("validate")
def corpus_validate(
    path: Path = typer.Argument(..., help="Corpus file/folder."),
    labels: Path = typer.Option(
        DEFAULT_LABELS, help="Label scheme YAML.", show_default="the shipped scheme"
    ),
    skip: bool = typer.Option(
        False, "--skip", help="List every bad row instead of stopping at the first."
    ),
) -> None:
    """Check a corpus against the label scheme.

    Example: textcls corpus validate my_reports.jsonl --skip
    """
    from .corpus import load_corpus
    from .labels import LabelScheme

    corpus = load_corpus(path, LabelScheme.from_yaml(labels), on_error="skip" if skip else "raise")
    for problem in corpus.problems:
        typer.echo(f"skipped: {problem}")
    typer.echo(f"{len(corpus)} valid reports, {len(corpus.problems)} problems in {path}")
    if corpus.problems:
        raise typer.Exit(2)


@corpus_app.command("split")
def corpus_split(
    path: Path = typer.Argument(
        DEFAULT_CORPUS, help="Corpus file.", show_default="the starter corpus"
    ),
    out: Path = typer.Option(..., help="Where to write splits.json."),
    seed: int = typer.Option(13),
) -> None:
    """Write a train/dev/test split (70/15/15, stratified by theme, grouped by event).

    Example: textcls corpus split corpus/reports.jsonl --out corpus/splits.json
    """
    from .atomic import write_atomic
    from .corpus import load_corpus, make_splits

    splits = make_splits(load_corpus(path), seed=seed)
    write_atomic(out, (json.dumps(splits, indent=1) + "\n").encode())
    typer.echo(
        f"wrote {out}: " + ", ".join(f"{n} {len(splits[n])}" for n in ("train", "dev", "test"))
    )


def _summary(metrics: dict, path: Path) -> str:
    lines = [f"run {metrics['name']}: {metrics['data']['reports']} reports"]
    cleaning = metrics.get("cleaning")
    if cleaning:
        heavy = cleaning["reports_over_half"]
        lines.append(
            f"  cleaning: removed {cleaning['characters_removed']:,} characters "
            f"({cleaning['share_removed']:.1%}); "
            + (
                f"{len(heavy)} report(s) lost more than half: "
                + ", ".join(r["id"] for r in heavy[:10])
                + (" ..." if len(heavy) > 10 else "")
                if heavy
                else "no report lost more than half"
            )
        )
    topic = metrics.get("topics")
    if topic:
        gold = topic.get("topics_vs_gold")
        line = (
            f"  topics: {topic['topics']} topics, outliers "
            f"{topic['outliers_before_reduction']:.0%} -> "
            f"{topic['outliers_after_reduction']:.0%}"
        )
        sample = topic.get("sample")
        if sample:
            line += f" (fitted on a sample of {sample['reports']:,}; the rest assigned)"
        if gold:
            line += (
                f"; vs gold themes NMI {gold['nmi']:.3f}, ARI {gold['ari']:.3f}, "
                f"purity {gold['purity']:.3f}"
            )
        lines.append(line)
    for split, result in metrics.get("evaluation", {}).items():
        lines.append(
            f"  {split:<5} ({result['count']} reports): theme accuracy "
            f"{result['theme']['accuracy']:.3f}, macro-F1 "
            f"{result['theme']['macro_f1']:.3f};"
            f" actions micro-F1 {result['actions']['micro_f1']:.3f}, macro-F1 "
            f"{result['actions']['macro_f1']:.3f}"
        )
    timings = metrics.get("timings_s", {})
    lines.append("  time: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    lines.append(f"outputs: {path}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        # Standalone mode: typer reports usage errors itself (exit 2) and raises SystemExit.
        app(args=argv, prog_name="textcls")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except TextclsError as exc:
        _say(f"error: {exc}")
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("TEXTCLS_DEBUG"):
            traceback.print_exc()
        _say(
            f"unexpected error: {type(exc).__name__}: {exc} (set TEXTCLS_DEBUG=1 for the traceback)"
        )
        return 1
    return 0


def entry() -> None:
    sys.exit(main())
