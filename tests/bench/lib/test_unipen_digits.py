"""The pen benchmark's reader of real pen digits (bench/lib/unipen_digits.py), on a small UNIPEN tree written here."""
from pathlib import Path

import numpy as np
import pytest

from bench.lib.unipen_digits import balanced_sample, every_ms, load_unipen_digits, site_group

PEN_DATA = """.VERSION 1.0
.COORD X Y
.POINTS_PER_SECOND 100
.PEN_DOWN
10 100
10 50
10 0
.PEN_UP
.PEN_DOWN
0 90
30 90
.PEN_UP
.PEN_DOWN
0 0
1 1
2 2
3 3
4 4
5 5
6 6
7 7
8 8
9 9
10 10
12 12
.PEN_UP
"""

LABELS = """.VERSION 1.0
.INCLUDE abc/data/w1.doc
.INCLUDE abc/data/w1.dat
.SEGMENT CHARACTER 0 ? "1"
.SEGMENT CHARACTER 0-1 OK "7"
.SEGMENT CHARACTER 2 ? "3"
.SEGMENT CHARACTER 5 ? "4"
.SEGMENT WORD 0-2 ? "173"
"""


def _tree(root: Path, site: str = "abc") -> Path:
    (root / "include" / site / "data").mkdir(parents=True)
    (root / "include" / site / "data" / "w1.dat").write_text(PEN_DATA.replace("abc", site))
    (root / "data" / "1a" / site).mkdir(parents=True)
    (root / "data" / "1a" / site / "w1.dat").write_text(LABELS.replace("abc", site))
    return root


def test_segments_pick_pen_down_strokes_with_y_turned_down(tmp_path):
    digits = load_unipen_digits(_tree(tmp_path))
    assert [d.label for d in digits] == [1, 7, 3]          # stroke 5 does not exist: skipped
    one, seven, _ = digits
    assert len(one.strokes) == 1 and len(seven.strokes) == 2
    assert one.strokes[0][:, 1].tolist() == [-100, -50, 0]  # y pointed up in the file
    assert one.writer == "abc/w1" and one.rate == 100


def test_unreliable_sites_are_left_out(tmp_path):
    assert load_unipen_digits(_tree(tmp_path, "tos")) == []


def test_thinning_to_a_tablet_rate_keeps_both_ends(tmp_path):
    three = load_unipen_digits(_tree(tmp_path))[2]
    thinned = every_ms(three, 50)[0]                      # 100 points/s: every 5th point
    assert thinned[:, 0].tolist() == [0, 5, 10, 12]
    assert every_ms(three, 0)[0].shape == (12, 2)


def test_balanced_sample_takes_at_most_n_of_each_class(tmp_path):
    digits = load_unipen_digits(_tree(tmp_path)) * 3
    picked = balanced_sample(digits, 2, seed=1)
    assert np.bincount([d.label for d in picked], minlength=10).tolist() == [0, 2, 0, 2, 0, 0, 0, 2, 0, 0]


def test_site_groups_split_looked_at_sites_from_held_out_ones(tmp_path):
    held = load_unipen_digits(_tree(tmp_path / "a", "abc"))
    dev = load_unipen_digits(_tree(tmp_path / "b", "syn"))
    both = held + dev
    assert site_group(both, "held") == held and site_group(both, "dev") == dev and site_group(both, "all") == both
    with pytest.raises(ValueError):
        site_group(both, "other")
