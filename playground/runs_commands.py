"""`mlp-playground runs list|show|delete|export`, and `--run ID` wherever `--load CKPT` is accepted."""
from __future__ import annotations

import argparse
import json
import sys
import time

from playground.engine.errors import PlaygroundError

RUN_HELP = "a stored run's model (see 'mlp-playground runs list'): ID for its last model, ID:best for its best"


def add_parsers(sub) -> None:
    runs = sub.add_parser("runs", help="the runs kept in the store: list, show, delete, export")
    actions = runs.add_subparsers(dest="runs_command", parser_class=type(runs), metavar="ACTION")
    listing = actions.add_parser("list", help="one line per run, newest first")
    listing.add_argument("--json", action="store_true", help="one JSON object per run")
    show = actions.add_parser("show", help="a run's config and per-epoch metrics")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help="one JSON object: the run, its config and epochs")
    delete = actions.add_parser("delete", help="delete runs and their model files")
    delete.add_argument("ids", metavar="ID", nargs="+")
    export = actions.add_parser("export", help="write runs as TensorBoard event files or one CSV")
    export.add_argument("ids", metavar="ID", nargs="+", help="run ids, or 'all'")
    export.add_argument("--tensorboard", metavar="DIR", help="one subfolder per run; then: tensorboard --logdir DIR")
    export.add_argument("--csv", metavar="FILE", help="every epoch of the runs, a 'run' column naming each")


def open_store(to_read: bool = True):
    """The user's run store; its notice (a damaged store moved aside, a read-only folder) goes to stderr.
    A store that cannot be read at all (a newer app's) is an error when it is `to_read`, else a notice."""
    from playground.engine.runs.store import RunStore
    store = RunStore.open()
    if store.error and to_read:
        raise PlaygroundError(store.error)
    if store.notice:
        print(f"mlp-playground: {store.notice}", file=sys.stderr)
    return store


def run(args: argparse.Namespace) -> int:
    if args.runs_command is None:
        raise PlaygroundError("say what to do with the runs: list, show ID, delete ID... or export ID...|all")
    store = open_store()
    try:
        return {"list": _list, "show": _show, "delete": _delete, "export": _export}[args.runs_command](store, args)
    finally:
        store.close()


def _score(run) -> str:
    if run.regression:
        return f"R² {run.best_test_r2:.4f}" if run.best_test_r2 is not None else "R² —"
    return f"acc {run.best_test_accuracy:.4f}" if run.best_test_accuracy is not None else "acc —"


def _list(store, args) -> int:
    runs = store.list_runs()
    if args.json:
        lines = [json.dumps(r.to_json_dict()) for r in runs]
        if lines:
            print("\n".join(lines))
        return 0
    if not runs:
        print(f"no runs recorded yet in {store.path}", file=sys.stderr)
        return 0
    out = [f"{'id':>5}  {'status':11}  {'epochs':>6}  {'best':12}  {'created':16}  {'dataset':16}  name"]
    for r in runs:
        created = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created))
        out.append(f"{r.id:>5}  {r.status:11}  {r.epochs:>6}  {_score(r):12}  {created:16}  {r.dataset[:16]:16}  "
                   f"{r.name}")
    print("\n".join(out))
    return 0


def _show(store, args) -> int:
    run = store.get(args.id)
    epochs = store.epoch_records(run.id)
    if args.json:
        d = run.to_json_dict()
        d["config"] = json.loads(run.config_json)
        d["epoch_records"] = [e.to_json_dict() for e in epochs]
        print(json.dumps(d))
        return 0
    print(f"run {run.id}: {run.name}")
    print(f"  {run.status}, {run.kind}, {run.epochs} epochs, best {_score(run)}"
          + (f" (epoch {run.best_epoch})" if run.best_epoch else ""))
    print(f"  {run.dataset}" + (f" ({run.dataset_path}, sha256 {run.dataset_hash[:12]}…)" if run.dataset_hash else "")
          + f" · {run.architecture} · {run.device}")
    print(f"  created {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(run.created))}")
    if run.notes:
        print(f"  notes: {run.notes}")
    print("config:")
    for key, value in json.loads(run.config_json).items():
        print(f"  {key}: {value}")
    if epochs:
        from playground.engine.runs.metrics_csv import metrics_csv
        print("epochs:")
        for line in metrics_csv([(None, epochs)]).splitlines():
            print("  " + line.replace(",", "  "))
    return 0


def _delete(store, args) -> int:
    runs = [store.get(i) for i in args.ids]       # every id checked before anything is deleted
    if not store.recording:
        raise PlaygroundError(store.notice or "the run store cannot be written")
    deleted = store.delete(r.id for r in runs)
    if len(deleted) != len(runs):
        raise PlaygroundError(store.notice or "some runs could not be deleted")
    print(f"deleted {len(deleted)} run{'s' if len(deleted) != 1 else ''}: {', '.join(map(str, deleted))}",
          file=sys.stderr)
    return 0


def _export(store, args) -> int:
    from playground.engine.runs.export import export_csv, export_tensorboard, select_runs
    if not args.tensorboard and not args.csv:
        raise PlaygroundError("say where to export: --tensorboard DIR and/or --csv FILE")
    runs = select_runs(store, args.ids)
    if not runs:
        raise PlaygroundError("there are no runs to export yet")
    if args.csv:
        export_csv(store, runs, args.csv)
        print(f"wrote {args.csv} ({len(runs)} runs)", file=sys.stderr)
    if args.tensorboard:
        export_tensorboard(store, runs, args.tensorboard)
        print(f"wrote {len(runs)} runs to {args.tensorboard}; see them with: tensorboard --logdir {args.tensorboard}",
              file=sys.stderr)
    return 0


# --- --run ID, beside --load CKPT -----------------------------------------------------------------
def add_run_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run", metavar="ID", help=RUN_HELP)


def open_stored_model(run: str):
    """'12' or '12:best' -> (the stored model file, its LoadedModel); a PlaygroundError says why it cannot."""
    text, _, which = str(run).partition(":")
    which = which or "last"
    store = open_store()
    try:
        loaded = store.open_model(text, which)
        return store.model_path(store.get(text).id, which), loaded
    finally:
        store.close()


def load_model(args: argparse.Namespace):
    """The LoadedModel that --load CKPT or --run ID names, or None when neither is given."""
    from playground.engine.runs.checkpoint import load_checkpoint
    load, run_id = getattr(args, "load", None), getattr(args, "run", None)
    if load and run_id:
        raise PlaygroundError("give --load CKPT or --run ID, not both")
    if run_id:
        return open_stored_model(run_id)[1]
    return load_checkpoint(load) if load else None
