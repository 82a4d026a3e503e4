"""The sweep command: one setting tried at several values (a grid with --param2), trained together where
the engine can stack them, ending with a table of what each value gave."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from playground.engine.train.sweep_params import PARAMS, json_value, parse_values, value_text

if TYPE_CHECKING:   # the engine's training modules are imported when a sweep runs, not to build the parser
    from playground.engine.train.records import EpochRecord
    from playground.engine.train.sweep import SweepEnd, SweepStarted

VALUES_HELP = ("comma-separated values, e.g. 1e-4,1e-3,1e-2; for values that are lists themselves (hidden, "
               "per-layer dropout) separate them with ';', e.g. '64;128,64'")


def add_parser(sub, add_data_options, add_model_options) -> None:
    p = sub.add_parser("sweep", help="train one network at several values of a setting, together, and compare")
    p.add_argument("--param", metavar="NAME", required=True,
                   help=f"the setting to vary: {', '.join(PARAMS)} (the first {_batched_count()} train together)")
    p.add_argument("--values", metavar="V1,V2,...", required=True, help=VALUES_HELP)
    p.add_argument("--param2", metavar="NAME", help="a second setting, for a grid of every pair of values")
    p.add_argument("--values2", metavar="V1,V2,...", help="the second setting's values")
    add_data_options(p)
    add_model_options(p)
    p.add_argument("--epochs", type=int)
    p.add_argument("--mix-my-digits", action="store_true", default=None,
                   help="add my digits (taught in the Draw tab) to a digit set's training split")
    p.add_argument("--json", action="store_true",
                   help='one JSON object per configuration and epoch: train --json\'s fields plus "value"')
    p.add_argument("--no-record", action="store_true",
                   help="do not keep these runs in the run store (see 'mlp-playground runs list')")


def _batched_count() -> int:
    return sum(p.batched for p in PARAMS.values())


def _label(started: SweepStarted, value) -> str:
    values = value if len(started.params) == 2 else (value,)
    return " ".join(f"{n}={value_text(v)}" for n, v in zip(started.params, values))


def _json_line(started: SweepStarted, value, record: EpochRecord) -> str:
    line = record.to_json_dict()
    if len(started.params) == 2:
        line["value"], line["value2"] = json_value(value[0]), json_value(value[1])
    else:
        line["value"] = json_value(value)
    return json.dumps(line)


def _epoch_line(label: str, epochs: int, r: EpochRecord) -> str:
    if r.regression:
        return (f"{label}  epoch {r.epoch:3d}/{epochs}  train loss {r.train_loss:.4f} R² {r.train_r2:.4f}  "
                f"test loss {r.test_loss:.4f} R² {r.test_r2:.4f}  {r.seconds:.2f}s")
    return (f"{label}  epoch {r.epoch:3d}/{epochs}  train loss {r.train_loss:.4f} acc {r.train_accuracy:.4f}  "
            f"test loss {r.test_loss:.4f} acc {r.test_accuracy:.4f}  {r.seconds:.2f}s")


def table(started: SweepStarted, end: SweepEnd) -> list[str]:
    """The closing table: one row per configuration with its value(s), final and best test metric, time."""
    regression = any(r.regression for r in end.results)
    metric = "R²" if regression else "acc"
    heads = [*started.params, f"final test {metric}", f"best test {metric}", "time", "status"]
    rows = []
    for r in end.results:
        values = r.value if len(started.params) == 2 else (r.value,)
        number = lambda x: "-" if x is None else f"{x:.4f}"  # noqa: E731
        rows.append([*map(value_text, values), number(r.final), number(r.best), f"{r.seconds:.1f}s", r.status])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(heads)]
    n_values = len(started.params)
    fmt = lambda cells: "  ".join(c.ljust(w) if i < n_values or i == len(cells) - 1 else c.rjust(w)  # noqa: E731
                                  for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    lines = [fmt(heads), *map(fmt, rows)]
    together = sum(len(g) > 1 for g in started.groups)
    lines.append(f"{len(end.results)} configurations, {len(started.groups)} group(s) run one after another"
                 f"{', networks of a group trained together share its time' if together else ''}; "
                 f"whole sweep {end.seconds:.1f}s")
    return lines


def _recorder(job):
    """The sweep's recorder into the user's run store, or None when it cannot record (it says why once)."""
    from playground.engine.runs.sweep_recording import SweepRecorder, next_sweep_name
    from playground.runs_commands import open_store
    store = open_store(to_read=False)
    return SweepRecorder(store, job, next_sweep_name(store)) if store.recording else None


def sweep(args: argparse.Namespace) -> int:
    import torch
    from playground.cli_config import config_from_args
    from playground.engine.errors import PlaygroundError
    from playground.engine.train.records import EpochRecord, RunEnd
    from playground.engine.train.sweep import ConfigRecord, Sweep, SweepEnd, SweepStarted
    if (args.param2 is None) != (args.values2 is None):
        raise PlaygroundError("give --param2 and --values2 together")
    base = config_from_args(args)
    values = parse_values(args.param, args.values)
    values2 = parse_values(args.param2, args.values2) if args.param2 else None
    job = Sweep(base, args.param, values, args.param2, values2)
    started: SweepStarted | None = None
    end: SweepEnd | None = None
    recorder = None if args.no_record else _recorder(job)
    try:
        for record in job.run():
            if recorder is not None:
                recorder.record(record)
            if isinstance(record, SweepStarted):
                started = record
                if not args.json:
                    print(f"sweeping {' x '.join(record.params)}: {len(record.configs)} configurations of "
                          f"{base.dataset}, {len(record.groups)} group(s)", file=sys.stderr)
            elif isinstance(record, ConfigRecord):
                inner = record.record
                if isinstance(inner, EpochRecord):
                    if args.json:
                        print(_json_line(started, record.value, inner), flush=True)
                    else:
                        print(_epoch_line(_label(started, record.value), job.configs[record.index].epochs, inner),
                              file=sys.stderr, flush=True)
                elif isinstance(inner, RunEnd) and inner.status == "diverged":
                    print(f"{_label(started, record.value)}: {inner.message}", file=sys.stderr, flush=True)
            elif isinstance(record, SweepEnd):
                end = record
    except torch.cuda.OutOfMemoryError:
        raise PlaygroundError("CUDA ran out of memory: sweep fewer values, or use --device cpu") from None
    finally:
        if recorder is not None:
            recorder.stop_unfinished()
    if end is None:
        return 1
    if not args.json:
        print("\n".join(table(started, end)), flush=True)
        if recorder is not None and recorder.recorders:
            print(f"recorded as {recorder.sweep} (mlp-playground runs list)", file=sys.stderr)
    return 3 if all(r.status == "diverged" for r in end.results) else 0
