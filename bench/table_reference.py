"""Real public tables trained with the CLI's defaults against a plain scikit-learn reference.

    python -m bench.table_reference --tables DIR [--only NAME,...] [--no-euro]

DIR holds CSV files from the seaborn-data repository (github.com/mwaskom/seaborn-data; each table's origin
is listed below, as that repository's README gives it). Keep them outside the project.

Ours: exactly `mlp-playground train --dataset csv:FILE --label-column L --json` with no other flag (the
table's own batch size and epochs), in process; the figure is the last epoch's test accuracy (R² for a
regression), on our seeded 2/3 : 1/3 split. Reference: pandas one-hot (get_dummies), median imputation,
standardisation, MLPClassifier / MLPRegressor (64, 32), max_iter 500, 1/3 held out (random_state 0), on the
same rows and columns our `data` command keeps (identifier-like and date/time columns left out for both).
Euro: the same table written as a European CSV (semicolons, decimal commas, latin-1) and trained like ours:
it must give the same figure. scikit-learn is a benchmark tool only: pip install scikit-learn pandas.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

# name, label column, origin (as the seaborn-data README lists it) and its terms
# titanic's 'alive' is its label 'survived' in words: that column is taken out of the copy both sides train on
LEAKS = {"titanic": ["alive"]}
TABLES = [
    ("iris", "species", "UCI Machine Learning Repository, Iris (Fisher 1936)", "CC BY 4.0"),
    ("penguins", "species", "palmerpenguins (Horst, Hill, Gorman 2020), github.com/allisonhorst/penguins", "CC0"),
    ("titanic", "survived", "Kaggle Titanic competition data, via seaborn-data", "public passenger list; "
     "no licence stated in seaborn-data"),
    ("planets", "method", "NASA Exoplanet Archive, via seaborn-data", "NASA data, public domain"),
    ("tips", "tip", "reshape2 'tips' (Bryant & Smith 1995), rdrr.io/cran/reshape2", "GPL-2 package data"),
    ("mpg", "mpg", "UCI Auto MPG (via data.world cars-data)", "CC BY 4.0"),
    ("diamonds", "price", "ggplot2 'diamonds', ggplot2.tidyverse.org", "ggplot2: MIT"),
]


def ours(path: Path, label: str) -> tuple[float, str, dict]:
    """The CLI's `train --dataset csv:FILE --label-column L --json` (no other flag): last epoch's figure."""
    from playground.engine.config import TrainConfig
    from playground.engine.datasets import load_dataset
    from playground.engine.datasets.tables import with_table_defaults
    from playground.engine.train.records import EpochRecord
    from playground.engine.train.training import Trainer
    config = TrainConfig(dataset=f"csv:{path}", label_column=label)
    dataset = load_dataset(config)
    config = with_table_defaults(config, dataset, given={"dataset", "label_column"})
    trainer = Trainer(config, dataset)
    last = [r for r in trainer.run() if isinstance(r, EpochRecord)][-1]
    figure = last.test_r2 if dataset.is_regression else last.test_accuracy
    return figure, dataset.task, {"batch": config.batch_size, "epochs": config.epochs,
                                  "features": dataset.n_inputs}


def reference(path: Path, label: str, task: str) -> float:
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from playground.engine.datasets.tables import describe_table
    info = describe_table(path, label)
    kept = [c["name"] for c in info["columns"] if c["kind"] in ("numeric", "categorical")]
    frame = pd.read_csv(path).dropna(subset=[label])
    x = pd.get_dummies(frame[kept], dummy_na=False).astype(float)
    y = frame[label].astype(str) if task == "classification" else frame[label].astype(float)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=1 / 3, random_state=0)
    mlp = (MLPClassifier if task == "classification" else MLPRegressor)(hidden_layer_sizes=(64, 32), max_iter=500,
                                                                          random_state=0)
    model = make_pipeline(ColumnTransformer([("all", make_pipeline(SimpleImputer(strategy="median"),
                                                                   StandardScaler()), list(x.columns))]), mlp)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # ConvergenceWarning at max_iter is part of the recipe
        model.fit(x_train, y_train)
    return float(model.score(x_test, y_test))   # accuracy, or R²


def european(path: Path, folder: Path) -> Path:
    """The same table as a European export: semicolons, decimal commas, latin-1."""
    import polars as pl
    from playground.engine.datasets.tables import read_frame
    out = folder / f"{path.stem}-euro.csv"
    text = read_frame(path).write_csv(separator=";", decimal_comma=True)
    out.write_bytes(text.encode("latin-1", errors="replace"))
    assert pl.__version__
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tables", required=True, help="folder with the seaborn-data CSV files")
    p.add_argument("--only", help="comma-separated table names")
    p.add_argument("--no-euro", action="store_true", help="skip the European CSV check")
    args = p.parse_args()
    only = set(args.only.split(",")) if args.only else None
    print(f"{'table':10s} {'task':14s} {'metric':8s} {'ours':>7s} {'ref':>7s} {'diff':>7s} {'target':>7s} "
          f"{'euro':>7s}  defaults / seconds")
    with tempfile.TemporaryDirectory() as tmp:
        for name, label, origin, terms in TABLES:
            if only and name not in only:
                continue
            path = Path(args.tables) / f"{name}.csv"
            if not path.exists():
                print(f"{name:10s} missing: {path}")
                continue
            if name in LEAKS:
                import polars as pl
                copy = Path(tmp) / path.name
                pl.read_csv(path, infer_schema_length=None).drop(LEAKS[name]).write_csv(copy)
                path = copy
            t0 = time.perf_counter()
            figure, task, defaults = ours(path, label)
            seconds = time.perf_counter() - t0
            ref = reference(path, label, task)
            margin = 0.02 if task == "classification" else 0.05
            euro = ours(european(path, Path(tmp)), label)[0] if not args.no_euro else float("nan")
            metric = "accuracy" if task == "classification" else "R²"
            verdict = "ok" if figure >= ref - margin else "BELOW"
            print(f"{name:10s} {task:14s} {metric:8s} {figure:7.4f} {ref:7.4f} {figure - ref:+7.4f} {verdict:>7s} "
                  f"{euro:7.4f}  batch {defaults['batch']}, {defaults['epochs']} epochs, "
                  f"{defaults['features']} features, {seconds:.0f} s", flush=True)
    print(f"\ncolumns taken out as label leaks: {LEAKS}")
    print("sources:")
    for name, label, origin, terms in TABLES:
        print(f"  {name}: {origin} ({terms})")


if __name__ == "__main__":
    main()
