import numpy as np
import pytest


@pytest.fixture
def mixed_rows():
    """A small table of every kind of column: (header, rows as lists of cell text)."""
    rng = np.random.default_rng(0)
    header = ["height", "colour", "member", "grade", "note", "when", "id", "flat", "empty", "label"]
    rows = []
    for i in range(120):
        height = rng.normal(170, 10)
        colour = ["red", "green", "blue"][i % 3]
        label = "tall" if height > 170 else "short"
        rows.append([
            "" if i % 10 == 3 else f"{height:.2f}",          # numeric with gaps
            "" if i % 17 == 5 else colour,                    # words with gaps
            ["yes", "no"][i % 2],                             # yes/no
            str(1 + i % 3),                                    # few whole numbers
            f"{rng.normal():.3f}",                            # numeric
            f"2024-01-{1 + i % 28:02d}",                      # dates
            f"P{i:04d}",                                      # identifier
            "7",                                              # constant
            "",                                               # all missing
            label,
        ])
    return header, rows


def write_plain(path, header, rows):
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def write_european(path, header, rows, encoding="latin-1"):
    """Semicolons, decimal commas, latin-1: what a European spreadsheet exports."""
    def cell(c):
        try:
            float(c)
            return c.replace(".", ",")
        except ValueError:
            return c
    text = "\n".join(";".join(cell(c) for c in r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path
