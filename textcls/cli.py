"""The ``textcls`` command line.

Exit codes: 0 success; 2 a problem with the command, a config or an input file,
reported on one line; 1 anything unexpected (set ``TEXTCLS_DEBUG=1`` for the traceback).
"""
from __future__ import annotations

import csv
import json
import os
import sys
import traceback
from pathlib import Path
from typing import List, Optional

import typer

from .errors import InputError, TextclsError
from .labels import DEFAULT_LABELS

DEFAULT_CORPUS = DEFAULT_LABELS.parent.parent / "corpus" / "reports.jsonl"

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Sort, count and explain reports of internet-governance enforcement.")
corpus_app = typer.Typer(no_args_is_help=True, help="Inspect, validate and split a corpus.")
app.add_typer(corpus_app, name="corpus")


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _run_and_summarise(config: Path, stages: tuple[str, ...], quiet: bool,
                       data: Optional[Path] = None) -> None:
    from .config import load_config
    from .experiment import run_experiment

    log = (lambda message: None) if quiet else (lambda message: _say(f"· {message}"))
    result = run_experiment(load_config(config), stages, log=log, data=data)
    typer.echo(_summary(result.metrics, result.path))


@app.command()
def run(config: Path = typer.Argument(..., help="Experiment YAML, e.g. configs/default.yaml"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print the summary.")
        ) -> None:
    """The main job: discover topics, train the classifier, evaluate, save the model.

    Example: textcls run configs/default.yaml
    """
    _run_and_summarise(config, ("topics", "train"), quiet)


@app.command()
def train(config: Path = typer.Argument(..., help="Experiment YAML."),
          quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Train and evaluate the classifier only (no topic stage).

    Example: textcls train configs/tfidf_logreg.yaml
    """
    _run_and_summarise(config, ("train",), quiet)


@app.command()
def topics(config: Path = typer.Argument(..., help="Experiment YAML (its topics section)."),
           data: Optional[Path] = typer.Option(None, help="Reports to cluster instead of the "
                                               "config's corpus: JSONL, CSV, .txt or a folder; "
                                               "labels optional."),
           quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Discover topics and map them to themes; write topics.csv, assignments.csv, figures.

    Examples: textcls topics configs/default.yaml
              textcls topics configs/default.yaml --data my_reports/
    """
    _run_and_summarise(config, ("topics",), quiet, data)


@app.command("audit")
def audit_command(
        config: Path = typer.Argument(..., help="Experiment YAML: its corpus, features, heads."),
        top: int = typer.Option(20, "--top", "-n", min=0, help="How many to print."),
        output: Path = typer.Option(Path("audit.csv"), "--output", "-o",
                                    help="Where to write every flagged label (CSV)."),
        folds: int = typer.Option(5, min=2, help="Folds grouped by event; fewer is quicker."),
        quiet: bool = typer.Option(False, "--quiet", "-q")) -> None:
    """Find likely label errors: out-of-fold probabilities and confident learning (cleanlab).

    Examples: textcls audit configs/tfidf_logreg.yaml --top 30
              textcls audit configs/default.yaml --folds 3 -o my_audit.csv
    """
    from .label_audit import audit
    from .config import load_config

    log = (lambda message: None) if quiet else (lambda message: _say(f"· {message}"))
    result = audit(load_config(config), folds=folds, log=log)
    result.to_csv(output)
    if top:
        typer.echo(result.table(top))
    typer.echo(f"{len(result.issues)} labels flagged on {result.flagged_reports} of "
               f"{len(result.corpus)} reports; all of them in {output}")
    for message in result.skipped:
        typer.echo(f"note: {message}")


@app.command("eval")
def evaluate_command(
        model: Path = typer.Argument(..., help="A run folder or a model.pkl."),
        data: Path = typer.Option(..., help="Labeled JSONL/CSV, or a folder of .txt with a "
                                  "labels.jsonl beside them (e.g. ../shared/seeds)."),
        show: bool = typer.Option(True, "--show/--no-show", help="List each report's labels."),
        json_out: bool = typer.Option(False, "--json", help="Print the full metrics as JSON.")
        ) -> None:
    """Score a saved model on labeled reports.

    Example: textcls eval experiments/default/<run> --data ../shared/seeds
    """
    from .corpus import load_corpus
    from .experiment import evaluate, headline
    from .labels import LabelScheme
    from .persist import load_model, model_file, read_model_info

    classifier = load_model(model)
    pickle_path = model_file(model)
    labels = read_model_info(pickle_path).get("labels")
    scheme = LabelScheme.from_dict(labels, str(pickle_path)) if labels else None
    corpus = load_corpus(data, scheme, require_labels=True)
    metrics, rows = evaluate(classifier, corpus)
    if json_out:
        typer.echo(json.dumps(metrics, indent=2))
        return
    if show:
        for row in rows:
            mark = "ok " if row["correct_theme"] else "XX "
            typer.echo(f"{mark}{row['id']}: theme {row['predicted_theme']} "
                       f"(gold {row['gold_theme']}); actions [{row['predicted_actions']}] "
                       f"(gold [{row['gold_actions']}])")
    typer.echo(" ".join(f"{k}={v}" for k, v in headline(metrics).items()))


@app.command()
def predict(model: Path = typer.Argument(..., help="A run folder or a model.pkl."),
            paths: Optional[List[Path]] = typer.Argument(
                None, help="JSONL/CSV/.txt files or folders; '-' or nothing reads stdin "
                "(JSONL objects with 'text', or one report per line)."),
            output_format: str = typer.Option("jsonl", "--format", "-f",
                                              help="jsonl, csv or table")) -> None:
    """Label reports with a saved model.

    Examples: textcls predict experiments/default/<run> new_reports.jsonl --format table
              echo "Police closed 30 gambling sites" | textcls predict experiments/default/<run>
    """
    from .persist import load_model

    if output_format not in ("jsonl", "csv", "table"):
        raise typer.BadParameter("use jsonl, csv or table", param_hint="--format")
    classifier = load_model(model)  # a bad model fails before any input is read
    reports = _read_reports(paths)
    predictions = classifier.predict([r.document for r in reports])
    if output_format == "jsonl":
        for report, p in zip(reports, predictions):
            typer.echo(json.dumps({"id": report.id, **p.to_dict()}))
    elif output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "theme", "theme_score", "actions"])
        for report, p in zip(reports, predictions):
            writer.writerow([report.id, p.theme, p.theme_scores[p.theme], ";".join(p.actions)])
    else:
        width = max([len(r.id) for r in reports] + [2])
        typer.echo(f"{'id':<{width}}  {'theme':<22} {'score':>5}  actions")
        for report, p in zip(reports, predictions):
            typer.echo(f"{report.id:<{width}}  {p.theme:<22} {p.theme_scores[p.theme]:>5.2f}  "
                       f"{', '.join(p.actions)}")


def _read_reports(paths: Optional[List[Path]]) -> list:
    """Reports from files and folders; '-' or no path reads stdin."""
    from .corpus import load_corpus

    reports = []
    for path in paths or [Path("-")]:
        if str(path) == "-":
            reports.extend(_stdin_reports())
        else:
            reports.extend(load_corpus(path))
    return reports


@app.command()
def suggest(model: Path = typer.Argument(..., help="A run folder or a model.pkl."),
            paths: Optional[List[Path]] = typer.Argument(
                None, help="Unlabeled reports: JSONL/CSV/.txt files or folders; '-' or "
                "nothing reads stdin."),
            n: int = typer.Option(50, "-n", min=1, help="How many reports to suggest."),
            strategy: str = typer.Option("diverse", help="diverse, uncertainty or random."),
            output: Optional[Path] = typer.Option(
                None, "--output", "-o", help="Write the JSONL here (default: stdout)."),
            seed: int = typer.Option(0, help="Seed of the random strategy.")) -> None:
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
    result = pick(classifier, _read_reports(paths), n=n, strategy=strategy, seed=seed)
    for note in result.notes:
        _say(f"note: {note}")
    if output is None:
        for row in result.rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    result.to_jsonl(output)
    width = max(len(row["id"]) for row in result.rows)
    for rank, row in enumerate(result.rows, start=1):
        typer.echo(f"{rank:>4}  {row['id']:<{width}}  {row['uncertainty']:.2f}  "
                   f"{row['hint_theme']:<22} {row['title'][:60]}")
    typer.echo(f"wrote {len(result.rows)} reports to label to {output}")


def _stdin_reports():
    from .corpus import Report

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON ({exc.msg})", "<stdin>", number) from None
            if not isinstance(row, dict) or not str(row.get("text") or "").strip():
                raise InputError("required field is missing", "<stdin>", number, "text")
            yield Report(id=str(row.get("id", number)), text=row["text"],
                         title=str(row.get("title") or ""))
        else:
            yield Report(id=str(number), text=line.strip())


@app.command()
def compare(runs: List[Path] = typer.Argument(..., help="Run folders to compare."),
            split: str = typer.Option("test", help="dev or test"),
            markdown: bool = typer.Option(False, "--markdown", help="Markdown table.")) -> None:
    """Headline metrics of several runs side by side.

    Example: textcls compare experiments/*/2026* --markdown
    """
    from .experiment import headline

    columns = ["run", "theme_acc", "theme_F1", "action_microF1", "action_macroF1",
               "topic_NMI", "topic_purity"]
    rows = []
    for run_dir in runs:
        metrics_path = run_dir / "metrics.json"
        if not metrics_path.exists():
            raise InputError("no metrics.json; is this a finished run folder?", run_dir)
        metrics = json.loads(metrics_path.read_text())
        evaluation = metrics.get("evaluation", {}).get(split)
        head = headline(evaluation) if evaluation else {}
        topic = metrics.get("topics", {}).get("topics_vs_gold", {})
        rows.append([f"{metrics.get('name', '?')}/{run_dir.name}",
                     head.get("theme_accuracy", ""), head.get("theme_macro_f1", ""),
                     head.get("action_micro_f1", ""), head.get("action_macro_f1", ""),
                     topic.get("nmi", ""), topic.get("purity", "")])
    rows = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    if markdown:
        typer.echo("| " + " | ".join(columns) + " |")
        typer.echo("|" + "|".join("---" for _ in columns) + "|")
        for row in rows:
            typer.echo("| " + " | ".join(row) + " |")
        return
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    for row in [columns] + rows:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)))


@corpus_app.command("stats")
def corpus_stats_command(path: Path = typer.Argument(DEFAULT_CORPUS, help="Corpus file/folder."),
                         json_out: bool = typer.Option(False, "--json")) -> None:
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
    typer.echo(f"reports with scraped junk: {stats['with_junk']} "
               f"({stats['with_junk'] / stats['reports']:.0%}); junk share of characters "
               f"{stats['junk_share_of_characters']:.1%}")


@corpus_app.command("validate")
def corpus_validate(path: Path = typer.Argument(..., help="Corpus file/folder."),
                    labels: Path = typer.Option(DEFAULT_LABELS, help="Label scheme YAML."),
                    skip: bool = typer.Option(False, "--skip", help="List every bad row "
                                              "instead of stopping at the first.")) -> None:
    """Check a corpus against the label scheme.

    Example: textcls corpus validate my_reports.jsonl --skip
    """
    from .corpus import load_corpus
    from .labels import LabelScheme

    corpus = load_corpus(path, LabelScheme.from_yaml(labels),
                         on_error="skip" if skip else "raise")
    for problem in corpus.problems:
        typer.echo(f"skipped: {problem}")
    typer.echo(f"{len(corpus)} valid reports, {len(corpus.problems)} problems in {path}")
    if corpus.problems:
        raise typer.Exit(2)


@corpus_app.command("split")
def corpus_split(path: Path = typer.Argument(DEFAULT_CORPUS, help="Corpus file."),
                 out: Path = typer.Option(..., help="Where to write splits.json."),
                 seed: int = typer.Option(13)) -> None:
    """Write a train/dev/test split (70/15/15, stratified by theme, grouped by event).

    Example: textcls corpus split corpus/reports.jsonl --out corpus/splits.json
    """
    from .corpus import load_corpus, make_splits
    from .atomic import write_atomic

    splits = make_splits(load_corpus(path), seed=seed)
    write_atomic(out, (json.dumps(splits, indent=1) + "\n").encode())
    typer.echo(f"wrote {out}: " + ", ".join(f"{n} {len(splits[n])}"
                                           for n in ("train", "dev", "test")))


def _summary(metrics: dict, path: Path) -> str:
    lines = [f"run {metrics['name']}: {metrics['data']['reports']} reports"]
    topic = metrics.get("topics")
    if topic:
        gold = topic.get("topics_vs_gold")
        line = (f"  topics: {topic['topics']} topics, outliers {topic['outliers_before_reduction']:.0%}"
                f" -> {topic['outliers_after_reduction']:.0%}")
        if gold:
            line += (f"; vs gold themes NMI {gold['nmi']:.3f}, ARI {gold['ari']:.3f}, "
                     f"purity {gold['purity']:.3f}")
        lines.append(line)
    for split, result in metrics.get("evaluation", {}).items():
        lines.append(f"  {split:<5} ({result['count']} reports): theme accuracy "
                     f"{result['theme']['accuracy']:.3f}, macro-F1 {result['theme']['macro_f1']:.3f};"
                     f" actions micro-F1 {result['actions']['micro_f1']:.3f}, macro-F1 "
                     f"{result['actions']['macro_f1']:.3f}")
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
        _say(f"unexpected error: {type(exc).__name__}: {exc} "
             "(set TEXTCLS_DEBUG=1 for the traceback)")
        return 1
    return 0


def entry() -> None:
    sys.exit(main())
