"""The data block of an exported script for your own CSV table: the fitted recipe as a constant and a
reader written with the stdlib `csv` module (the script needs only torch), computing the app's features.

It repeats what datasets/tables does for a CSV file: the same delimiter, decimal mark, encoding and header;
rows without a label dropped; numeric cells missing (or not numbers, NaN, infinite) -> the training
median plus the was-missing feature; categories one-hot over the training levels (an unseen level is all
zeros); every feature standardised with the training statistics, in float64 like the app, then float32;
the same seeded split. tests/engine/export/test_table_script.py checks it against the engine.
"""
from __future__ import annotations

import json

from playground.engine.config import TrainConfig
from playground.engine.data_options import source_path
from playground.engine.datasets.splits import data_seed
from playground.engine.datasets.tables.reading import NULL_VALUES
from playground.engine.errors import PlaygroundError

READER = '''
def number(cell):
    """A numeric cell as a float, or None when it is missing, not a number, NaN or infinite."""
    text = cell.strip()
    if text in NULL_VALUES:
        return None
    if READ["decimal_comma"]:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def word(cell, source):
    """A category cell as the app names its level (whole numbers without '.0', true/false in lower case)."""
    text = cell.strip()
    if text in NULL_VALUES:
        return None
    if source == "bool":
        return text.lower()
    if source == "number":
        value = number(text)
        if value is not None and value == int(value):
            return str(int(value))
    return text


def read_rows():
    """The table's rows as lists of cells, without comment and blank lines, and its column names."""
    encoding = "utf-8-sig" if READ["encoding"] == "utf-8" else READ["encoding"]
    with open(TABLE, newline="", encoding=encoding) as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    if READ["delimiter"] == " ":
        rows = [line.split() for line in lines]
    else:
        rows = [[cell.strip() for cell in row] for row in csv.reader(lines, delimiter=READ["delimiter"])]
    names = rows.pop(0) if READ["header"] else [f"column {i + 1}" for i in range(len(rows[0]))]
    return names, rows


def encode_row(cells):
    """One row's features, before standardisation, in the recipe's order."""
    out = []
    for spec in RECIPE["columns"]:
        cell = cells[spec["name"]]
        if spec["kind"] == "numeric":
            value = number(cell)
            out.append(spec["median"] if value is None else value)
            if spec["indicator"]:
                out.append(1.0 if value is None else 0.0)
        else:
            level = word(cell, spec["source"])
            for known in spec["levels"]:
                out.append(1.0 if (level is None if known == "(missing)" else level == known) else 0.0)
    return out


def load_data():
    """Read the table, encode every row with the recipe, split it as the app does (seeded)."""
    names, rows = read_rows()
    label = names.index(RECIPE["label"])
    features, targets = [], []
    for row in rows:
        cell = row[label]
        if cell.strip() in NULL_VALUES:
            continue   # a row without a label is dropped
        raw = encode_row(dict(zip(names, row)))
        features.append([(v - m) / s for v, m, s in zip(raw, RECIPE["mean"], RECIPE["std"])])
        if RECIPE["task"] == "regression":
            targets.append((number(cell) - RECIPE["target"]["mean"]) / RECIPE["target"]["std"])
        else:
            targets.append(CLASS_NAMES.index(word(cell, RECIPE["label_source"])))
    x = torch.tensor(features, dtype=torch.float64).float()
    y = torch.tensor(targets, dtype=torch.float32 if RECIPE["task"] == "regression" else torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(DATA_SEED))
    n_train = min(max(int(round(len(y) * TRAIN_FRACTION)), 1), len(y) - 1)
    train, test = order[:n_train], order[n_train:]
    return x[train], y[train], x[test], y[test]
'''


def table_data(config: TrainConfig, recipe: dict) -> tuple[list[str], str]:
    """(imports, text) of the data block for a CSV table and its fitted recipe."""
    read = recipe.get("read", {})
    if read.get("format") != "csv":
        raise PlaygroundError(f"export-script writes a reader for CSV tables; {source_path(config.dataset)} is "
                              f"{read.get('format', 'another format')}: save it as CSV first")
    if recipe["task"] != "classification":
        raise PlaygroundError("export-script writes classification tables only for now; this table is a "
                              "regression")
    recipe_text = json.dumps(recipe, indent=1)
    head = "\n".join([
        "# Your table, read as the app reads it: the recipe below was fitted on the training split (which",
        "# columns, how each is encoded, the training medians, levels, means and standard deviations).",
        f"TABLE = {str(source_path(config.dataset))!r}",
        f"DATA_SEED = {data_seed(config.seed, config.data_seed)!r}",
        f"TRAIN_FRACTION = {config.train_fraction!r}",
        f"NULL_VALUES = {sorted(set(NULL_VALUES))!r}",
        f"RECIPE = json.loads(r\'\'\'{recipe_text}\'\'\')",
        'READ = RECIPE["read"]',
        'CLASS_NAMES = RECIPE["classes"]',
    ])
    return ["import csv", "import json"], head + "\n\n" + READER.strip("\n") + "\n"
