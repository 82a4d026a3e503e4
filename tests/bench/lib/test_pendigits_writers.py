"""The pen benchmark's reader of the UCI pendigits training writers (bench/lib/pendigits_writers.py), on a small
file in the collection's format written here."""
import numpy as np
import pytest

from bench.lib.pendigits_writers import TRAINING_FILE, load_pendigits_writers, writer_group

RAW = """.INCLUDE        dene.doc

.LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"
.HIERARCHY      DIGIT

.SEGMENT DIGIT    0 ? "1"
.COMMENT 1 3  1
.PEN_DOWN
 100  400
 100  100
.PEN_UP
.DT 300
.PEN_DOWN
  50  100
 150  100
.PEN_UP

.SEGMENT DIGIT    1 ? "7"
.COMMENT 7 4  1
.PEN_DOWN
  50  400
 150  400
 100  100
.PEN_UP
"""


def test_reads_digits_strokes_writers_and_turns_y_down(tmp_path):
    (tmp_path / TRAINING_FILE).write_text(RAW)
    one, seven = load_pendigits_writers(tmp_path)
    assert (one.label, one.writer, seven.label, seven.writer) == (1, "pendigits/w3", 7, "pendigits/w4")
    assert len(one.strokes) == 2 and len(seven.strokes) == 1
    np.testing.assert_array_equal(one.strokes[0], [[100, -400], [100, -100]])   # y up in the file, down here
    assert one.rate == 10.0


def test_half_the_writers_to_tune_on_the_other_half_only_measured(tmp_path):
    (tmp_path / TRAINING_FILE).write_text(RAW)
    digits = load_pendigits_writers(tmp_path / TRAINING_FILE)
    assert [d.label for d in writer_group(digits, "dev")] == [1]     # writer 3: odd
    assert [d.label for d in writer_group(digits, "held")] == [7]
    assert len(writer_group(digits, "all")) == 2


def test_only_the_training_writers_file_is_read(tmp_path):
    (tmp_path / "pendigits-orig.tes").write_text(RAW)
    with pytest.raises(ValueError, match="training writers"):
        load_pendigits_writers(tmp_path / "pendigits-orig.tes")
