import sys

import numpy as np
import polars as pl
import pytest
import torch

from playground.engine.datasets.tables import load_table, read_frame, sniff
from playground.engine.datasets.tables import reading
from playground.engine.errors import PlaygroundError

from .conftest import write_european, write_plain


def test_european_csv_gives_the_same_dataset_as_the_plain_one(tmp_path, mixed_rows):
    header, rows = mixed_rows
    rows = [[c.replace("red", "rød") for c in r] for r in rows]    # a word latin-1 holds and ASCII does not
    plain = write_plain(tmp_path / "plain.csv", header, rows)
    euro = write_european(tmp_path / "euro.csv", header, rows)
    options = sniff(euro)
    assert options.delimiter == ";" and options.decimal_comma and options.encoding == "cp1252"
    a, b = load_table(plain, "label", seed=2), load_table(euro, "label", seed=2)
    assert a.feature_names == b.feature_names and "colour=rød" in a.feature_names
    assert torch.equal(a.train_x, b.train_x) and torch.equal(a.test_y, b.test_y)


def test_bom_tab_quotes_and_cp1252(tmp_path):
    bom = tmp_path / "b.tsv"
    bom.write_bytes("\ufeffname\tx\ty\n\"a, b\"\t1.5\tyes\n\"c\"\t2.5\tno\n".encode("utf-8"))
    frame = read_frame(bom)
    assert frame.columns == ["name", "x", "y"] and frame["name"].to_list() == ["a, b", "c"]
    cp = tmp_path / "c.csv"
    cp.write_bytes("word,y\ncafé €,1\nthé,0\n".encode("cp1252"))
    assert sniff(cp).encoding == "cp1252" and read_frame(cp)["word"].to_list() == ["café €", "thé"]


def test_header_is_detected_or_columns_are_numbered(tmp_path):
    bare = tmp_path / "n.txt"
    bare.write_text("0 1.5 2\n1 2.5 3\n0 3.5 4\n1 4.5 5\n")
    options = sniff(bare)
    assert not options.header and options.delimiter == " "
    assert read_frame(bare).columns == ["column 1", "column 2", "column 3"]
    words = tmp_path / "w.csv"
    words.write_text("a,b\nx,y\nz,w\n")
    assert sniff(words).header     # every cell a word: the first row is taken for a header


def test_parquet_and_xlsx_read_like_the_csv(tmp_path, mixed_rows):
    header, rows = mixed_rows
    plain = write_plain(tmp_path / "p.csv", header, rows)
    frame = read_frame(plain)
    frame.write_parquet(tmp_path / "p.parquet")
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for r in [header, *rows]:
        sheet.append([float(c) if c.replace(".", "", 1).isdigit() else (c or None) for c in r])
    book.save(tmp_path / "p.xlsx")
    want = load_table(plain, "label")
    for other in ("p.parquet", "p.xlsx"):
        got = load_table(tmp_path / other, "label")
        assert got.feature_names == want.feature_names, other
        assert torch.allclose(got.train_x, want.train_x, atol=1e-5), other


def test_xlsx_without_its_extra_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(PlaygroundError, match=r"needs the excel extra: pip install 'mlp-playground\[excel\]'"):
        read_frame(path)


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"a,b,c\n", "header row but no data rows"),
    (b"a,b,c\n1,2,x\n", "single data row"),
    (b"a,b,c\n1,2,0\n3,4\n1,1,0\n2,2,1\n", "line 3 has 2 columns where the rows before have 3"),
    (b"a,b,c\n1,2,0\n3,4,1,9\n1,1,0\n", "line 3 has 4 columns"),
    (bytes(range(256)) * 40, "not a text file"),
    (b"a,b\n1,x\n2,x\n3,x\n", "single class"),
])
def test_bad_input_is_one_clear_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(PlaygroundError, match=message) as info:
        load_table(path)
    assert "\n" not in str(info.value)


def test_missing_label_column_and_huge_files(tmp_path, monkeypatch):
    path = write_plain(tmp_path / "t.csv", ["a", "b"], [["1", "x"], ["2", "y"], ["3", "x"], ["4", "y"]])
    with pytest.raises(PlaygroundError, match="no label column named 'z'; its columns are: a, b"):
        load_table(path, "z")
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    with pytest.raises(PlaygroundError, match="refused, not streamed"):
        load_table(path, "b")


def test_large_numeric_table_reads_as_floats(tmp_path):
    x = np.random.default_rng(0).normal(size=(3000, 5))
    path = tmp_path / "big.csv"
    pl.DataFrame(x, schema=[f"f{i}" for i in range(5)]).with_columns(
        label=pl.Series((x[:, 0] > 0).astype(int))).write_csv(path)
    d = load_table(path)
    assert d.n_inputs == 5 and d.class_names == ["0", "1"] and d.train_x.dtype == torch.float32
