"""Your own table (CSV/TSV/TXT, Parquet, Excel .xlsx): read with polars, typed, encoded by a fitted recipe."""
from playground.engine.datasets.tables.columns import MAX_LEVELS, ColumnInfo, column_info
from playground.engine.datasets.tables.describe import describe_table, describe_text
from playground.engine.datasets.tables.loading import PREFIX, load_table, read_cached, table_defaults, with_table_defaults
from playground.engine.datasets.tables.reading import ReadOptions, read_frame, sniff
from playground.engine.datasets.tables.recipe import encode, fit_recipe

__all__ = ["MAX_LEVELS", "PREFIX", "ColumnInfo", "ReadOptions", "column_info", "describe_table", "describe_text",
           "encode", "fit_recipe", "load_table", "read_cached", "read_frame", "sniff", "table_defaults",
           "with_table_defaults"]
