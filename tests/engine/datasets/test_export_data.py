"""export-data: the built-in digits as MNIST-layout IDX files that read back unchanged."""
import pytest

from playground.cli import main
from playground.engine.datasets import mnist_family
from playground.engine.datasets.export_data import export_synthetic_digits, raw_folder
from playground.engine.datasets.idx import read_idx


def test_files_read_back_as_the_dataset(tmp_path, small_digits):
    written = export_synthetic_digits(tmp_path, dataset=small_digits)
    assert [p.name for p in written] == ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    assert all(p.parent == raw_folder(tmp_path) for p in written)
    assert read_idx(written[0]).equal(small_digits.train_x)
    assert read_idx(written[3]).long().equal(small_digits.test_y)
    # the app's own MNIST-layout finder reads the folder too (raw/ given directly)
    assert mnist_family.find_split("mnist", raw_folder(tmp_path), "test") is not None


def test_cli_refuses_other_sets(capsys, tmp_path):
    assert main(["export-data", "mnist", str(tmp_path)]) == 1
    assert "synthetic-digits" in capsys.readouterr().err


def test_cli_reports_an_unwritable_folder(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export-data", "synthetic-digits", str(blocker / "sub"), "--seed", "0"]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err
