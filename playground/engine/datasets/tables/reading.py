"""Reading a table file into a polars DataFrame: CSV/TSV/TXT (sniffed), Parquet and Excel .xlsx.

polars was chosen by measurement (bench/table_read.py): a 1,000,000 x 100 numeric CSV parsed in 2.9 s at
a 1.1 GiB peak, against 5.5 s / 2.3 GiB for pandas' C engine and 6.5 s / 3.0 GiB for pandas on pyarrow.

What the first 64 KB of a text file decide (with the stdlib `csv` module): the encoding (UTF-8 with or
without BOM, else cp1252, else latin-1), the delimiter (comma, semicolon, tab, or runs of spaces), the
decimal mark (a decimal comma only beside a semicolon or tab delimiter) and whether the first row is a
header. Files above MAX_BYTES are refused by size, not streamed: the whole table is held in memory.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from playground.engine.errors import PlaygroundError

SNIFF_BYTES = 64 * 1024
MAX_BYTES = 2 * 1024**3          # larger files are refused: they are read whole into memory
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", "")
NULL_VALUES = ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "?", "-"]
RAGGED_SCAN_BYTES = 64 * 1024**2   # short rows are looked for line by line up to this size
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class ReadOptions:
    """How a file is read; part of the cache key and reported by `data`."""
    format: str                  # "csv", "parquet" or "xlsx"
    delimiter: str = ","         # " " stands for runs of whitespace
    header: bool = True
    decimal_comma: bool = False
    encoding: str = "utf-8"

    def to_dict(self) -> dict:
        return asdict(self)


def _is_number(text: str, decimal_comma: bool = False) -> bool:
    text = text.strip()
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        float(text)
        return True
    except ValueError:
        return False


def _check_file(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlaygroundError(f"{path}: no such file") from None
    except OSError as exc:
        raise PlaygroundError(f"cannot read {path}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise PlaygroundError(f"{path} is a folder, not a table file (use folder:{path} for images)")
    if size == 0:
        raise PlaygroundError(f"{path} is empty: it needs a header row and a row per sample")
    if size > MAX_BYTES:
        raise PlaygroundError(f"{path} is {size / 1024**3:.1f} GB; tables over {MAX_BYTES / 1024**3:.0f} GB are "
                              f"refused, not streamed (the whole table is held in memory): use a sample of its rows")
    return size


def decode(raw: bytes, partial: bool = False) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a BOM is dropped), else cp1252, else latin-1 (which decodes any byte)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(raw) - 4:     # a character cut at the end of a sample
            return raw[:exc.start].decode("utf-8-sig"), "utf-8"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _cells(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]


def sniff_text(path: Path) -> ReadOptions:
    """Encoding, delimiter, decimal mark and header from the first 64 KB of a text file."""
    with path.open("rb") as f:
        raw = f.read(SNIFF_BYTES)
    if b"\x00" in raw:
        raise PlaygroundError(f"{path} is not a text file (it holds binary data); give a CSV, TSV, Parquet or "
                              f"Excel .xlsx file")
    text, encoding = decode(raw, partial=len(raw) == SNIFF_BYTES)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(raw) == SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]    # the sample's last line may be cut short
    if not lines:
        raise PlaygroundError(f"{path} is empty: it needs a header row and a row per sample")
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ",;\t"}
        best = max(counts, key=counts.get)
        delimiter = best if counts[best] else (" " if len(lines[0].split()) > 1 else ",")
    rows = [_cells(ln, delimiter) for ln in lines[:200]]
    cells = [c for row in rows[1:] for c in row]
    decimal_comma = delimiter != "," and any(re.fullmatch(r"[+-]?\d*,\d+", c) for c in cells) and not any(
        re.fullmatch(r"[+-]?\d*\.\d+", c) for c in cells)
    first = rows[0]
    second = rows[1] if len(rows) > 1 else None
    number = lambda c: _is_number(c, decimal_comma)   # noqa: E731
    # a header has a name where the data has a number, or only names when every column holds words
    header = any(not number(c) for c in first) and (
        second is None or any(not number(a) and number(b) for a, b in zip(first, second))
        or all(not number(c) for c in first))
    return ReadOptions("csv", delimiter, header, decimal_comma, encoding)


def file_format(path: Path) -> str:
    with path.open("rb") as f:
        magic = f.read(4)
    suffix = path.suffix.lower()
    if magic == b"PAR1" or suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".xlsx", ".xlsm") or (magic[:2] == b"PK" and suffix != ".csv"):
        return "xlsx"
    if suffix == ".xls":
        raise PlaygroundError(f"{path} is an old Excel .xls file; save it as .xlsx or CSV")
    return "csv"


def sniff(path: str | Path) -> ReadOptions:
    """How `path` will be read (refuses missing, empty, huge and binary files in one line)."""
    path = Path(path)
    _check_file(path)
    fmt = file_format(path)
    return ReadOptions(fmt) if fmt != "csv" else sniff_text(path)


def _column_names(n: int) -> list[str]:
    return [f"column {i + 1}" for i in range(n)]


def _ragged_line(text_lines, delimiter: str, header: bool) -> tuple[int, int, int] | None:
    """(line number, its column count, the expected count) of the first row with another column count."""
    want = None
    reader = csv.reader(text_lines, delimiter=delimiter) if delimiter != " " else (ln.split() for ln in text_lines)
    for number, row in enumerate(reader, 1):
        if not row or (row[0].lstrip().startswith("#") and len(row) == 1):
            continue
        if want is None:
            want = len(row)
        elif len(row) != want:
            return number, len(row), want
    return None


def _ragged_error(path: Path, options: ReadOptions, text: str | None) -> PlaygroundError | None:
    if text is None:
        with path.open("rb") as f:
            text = decode(f.read(), False)[0] if options.encoding == "utf-8" else f.read().decode(options.encoding)
    found = _ragged_line(io.StringIO(text), options.delimiter, options.header)
    if found is None:
        return None
    line, got, want = found
    return PlaygroundError(f"{path}: line {line} has {got} columns where the rows before have {want}; every "
                           f"row needs the same columns")


def _read_csv(path: Path, options: ReadOptions) -> pl.DataFrame:
    text = None
    source: Path | io.BytesIO = path
    if options.encoding != "utf-8" or options.delimiter == " ":
        text = decode(path.read_bytes())[0]
        if options.delimiter == " ":
            text = "\n".join("\t".join(ln.split()) for ln in text.splitlines())
        source = io.BytesIO(text.encode("utf-8"))
    delimiter = "\t" if options.delimiter == " " else options.delimiter
    kwargs = dict(separator=delimiter, has_header=options.header, decimal_comma=options.decimal_comma,
                  null_values=NULL_VALUES, comment_prefix="#", infer_schema_length=10_000, quote_char='"')
    try:
        try:
            frame = pl.read_csv(source, **kwargs)
        except pl.exceptions.ComputeError as exc:
            if "could not parse" not in str(exc):
                raise
            if isinstance(source, io.BytesIO):
                source.seek(0)
            frame = pl.read_csv(source, **{**kwargs, "infer_schema_length": None})   # type on every row
    except pl.exceptions.ComputeError as exc:
        message = str(exc)
        if "more fields" in message or "fields" in message:
            error = _ragged_error(path, options, text)
            if error:
                raise error from None
        if "utf-8" in message.lower():     # a UTF-8 start, other bytes later: read it as cp1252
            return _read_csv(path, ReadOptions("csv", options.delimiter, options.header, options.decimal_comma,
                                               "cp1252"))
        raise PlaygroundError(f"{path}: cannot read the table ({message.splitlines()[0][:160]})") from None
    except pl.exceptions.NoDataError:
        raise PlaygroundError(f"{path} is empty: it needs a header row and a row per sample") from None
    if not options.header:
        frame.columns = _column_names(frame.width)
    # polars fills a short row with missing cells; a file small enough is checked line by line for them
    if path.stat().st_size <= RAGGED_SCAN_BYTES and frame.null_count().sum_horizontal().item() > 0:
        error = _ragged_error(path, options, text)
        if error:
            raise error
    return frame


def _read_xlsx(path: Path) -> pl.DataFrame:
    try:
        import openpyxl
    except ImportError:
        raise PlaygroundError(f"{path} is an Excel file; reading it needs the excel extra: "
                              f"pip install 'mlp-playground[excel]' (or save it as CSV)") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:   # openpyxl raises many types for damaged files
        raise PlaygroundError(f"{path} is not a readable .xlsx file ({type(exc).__name__})") from None
    rows = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise PlaygroundError(f"{path} is empty: its first sheet has no rows")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    first, second = rows[0], rows[1] if len(rows) > 1 else None
    header = any(not _is_number(c) for c in first) and (
        second is None or any(not _is_number(a) and _is_number(b) for a, b in zip(first, second))
        or all(not _is_number(c) for c in first))
    names = [c or f"column {i + 1}" for i, c in enumerate(first)] if header else _column_names(width)
    body = rows[1:] if header else rows
    columns = {name: [None if r[i].strip() in NULL_VALUES else r[i] for r in body] for i, name in enumerate(names)}
    return pl.DataFrame(columns, schema={n: pl.String for n in names})


def read_frame(path: str | Path, options: ReadOptions | None = None) -> pl.DataFrame:
    """The whole table as a DataFrame (columns typed by polars: numbers, strings, booleans)."""
    path = Path(path)
    options = options or sniff(path)
    if options.format == "parquet":
        try:
            return pl.read_parquet(path)
        except Exception as exc:   # polars raises several types for a damaged file
            raise PlaygroundError(f"{path} is not a readable Parquet file ({type(exc).__name__})") from None
    if options.format == "xlsx":
        return _read_xlsx(path)
    return _read_csv(path, options)
