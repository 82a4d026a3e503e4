"""`describe_table`: what a table holds and what training would make of it, as plain data (the `data`
command prints it; the window's preview shows it)."""
from __future__ import annotations

import time
from pathlib import Path

from playground.engine.datasets.tables.columns import DROPPED, MAX_LEVELS
from playground.engine.datasets.tables.loading import Prepared, feature_count, notes, table_defaults
from playground.engine.datasets.splits import DEFAULT_TRAIN_FRACTION, split_sizes


def describe_table(path: str | Path, label_column: str | int | None = None, task: str = "auto",
                   max_levels: int = MAX_LEVELS, train_fraction: float = DEFAULT_TRAIN_FRACTION) -> dict:
    """rows, columns (name, type, kind, missing, levels, reason), features, label, task, classes (with
    counts; None for a regression), dropped, notes, reading options, suggested defaults, seconds."""
    started = time.perf_counter()
    p = Prepared(path, label_column, task, max_levels)
    label = p.frame[p.label]
    columns = [c.to_dict() for c in p.columns]
    label_info = {"name": p.label, "type": "label", "kind": "label", "missing": p.label_missing,
                  "levels": len(p.classes) if p.classes else None, "reason": "", "not_numbers": 0}
    counts = None
    if p.task == "classification":
        tally = [int(n) for n in __import__("numpy").bincount(p.y, minlength=len(p.classes))]
        counts = dict(zip(p.classes, tally))
    summary = None
    if p.task == "regression":
        summary = {"mean": float(p.y.mean()), "std": float(p.y.std()), "min": float(p.y.min()),
                   "max": float(p.y.max())}
    n_train = split_sizes(p.frame.height, train_fraction)[0]
    return {
        "source": str(p.path),
        "rows": p.rows_read,
        "rows_used": p.frame.height,
        "rows_dropped": p.label_missing,
        "columns": [*columns, label_info],
        "features": feature_count(p.columns),
        "label": p.label,
        "task": p.task,
        "classes": p.classes if p.task == "classification" else None,
        "class_counts": counts,
        "target": summary,
        "dropped": [{"name": c.name, "reason": c.reason} for c in p.columns if c.kind == DROPPED],
        "notes": notes(p),
        "read": p.options.to_dict(),
        "defaults": table_defaults(n_train),
        "label_dtype": str(label.dtype),
        "seconds": round(time.perf_counter() - started, 3),
    }


def describe_text(info: dict) -> str:
    """The `data` command's human-readable report."""
    read = info["read"]
    how = read["format"] if read["format"] != "csv" else (
        f"csv, delimiter {read['delimiter']!r}{', decimal comma' if read['decimal_comma'] else ''}, "
        f"{read['encoding']}{'' if read['header'] else ', no header row'}")
    lines = [f"{info['source']}: {info['rows']:,} rows, {len(info['columns'])} columns ({how})",
             f"{'column':24s} {'type':13s} {'use':12s} {'missing':>8s} {'levels':>7s}"]
    for c in info["columns"]:
        levels = "" if c["levels"] is None else str(c["levels"])
        use = c["kind"] if c["kind"] != DROPPED else "left out"
        lines.append(f"{c['name'][:24]:24s} {c['type']:13s} {use:12s} {c['missing']:8,d} {levels:>7s}")
    lines.append(f"features after encoding: {info['features']}")
    if info["task"] == "classification":
        counts = ", ".join(f"{k} {v:,}" for k, v in list(info["class_counts"].items())[:12])
        lines.append(f"label '{info['label']}': classification, {len(info['classes'])} classes ({counts})")
    else:
        t = info["target"]
        lines.append(f"label '{info['label']}': regression (mean {t['mean']:.4g}, std {t['std']:.4g}, "
                     f"{t['min']:.4g} to {t['max']:.4g}); standardised for training, reported in its units")
    lines += [f"note: {n}" for n in info["notes"]]
    d = info["defaults"]
    lines.append(f"defaults for this table: batch {d['batch_size']}, {d['epochs']} epochs")
    lines.append(f"{info['seconds']:.2f} s")
    return "\n".join(lines)
