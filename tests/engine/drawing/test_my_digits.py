import json

import numpy as np
import pytest

from playground.engine.datasets.idx import read_idx
from playground.engine.errors import PlaygroundError
from playground.engine.drawing.my_digits import MyDigitsStore, default_folder


def digit_image(seed: int) -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    rng = np.random.default_rng(seed)
    image[6:22, 10 + seed % 5:14 + seed % 5] = rng.integers(100, 256, (16, 4))
    return image


def test_add_list_count_and_persist(tmp_path):
    store = MyDigitsStore(tmp_path)
    first = store.add(digit_image(0), 3, [[(10.0, 20.0), (30.5, 40.25)]])
    store.add(digit_image(1), 3)
    store.add(digit_image(2), 7)
    assert store.counts() == [0, 0, 0, 2, 0, 0, 0, 1, 0, 0]
    again = MyDigitsStore(tmp_path)        # a new window reads what the last one saved
    assert [e.label for e in again.entries()] == [3, 3, 7]
    assert np.array_equal(again.entries()[0].image, digit_image(0))
    assert again.entries()[0].strokes == [[(10.0, 20.0), (30.5, 40.25)]]
    assert again.entries()[0].id == first.id
    assert again.problems == []


def test_default_folder_is_in_the_user_data_folder(data_home):
    assert default_folder() == data_home / "my-digits"
    MyDigitsStore().add(digit_image(0), 1)
    assert len(list((data_home / "my-digits").glob("*.json"))) == 1


def test_delete_removes_the_file(tmp_path):
    store = MyDigitsStore(tmp_path)
    keep, gone = store.add(digit_image(0), 1), store.add(digit_image(1), 2)
    assert store.delete(gone.id)
    assert not store.delete(gone.id)
    assert [e.id for e in MyDigitsStore(tmp_path).entries()] == [keep.id]


def test_damaged_files_are_reported_and_skipped(tmp_path):
    store = MyDigitsStore(tmp_path)
    good = store.add(digit_image(0), 4)
    (tmp_path / "truncated.json").write_text('{"version": 1, "id": "trunc')
    (tmp_path / "badlabel.json").write_text(json.dumps({"version": 1, "id": "badlabel", "label": 12,
                                                        "image": "", "strokes": []}))
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    again = MyDigitsStore(tmp_path)
    assert [e.id for e in again.entries()] == [good.id]
    assert len(again.problems) == 3
    assert all("skipped" in p for p in again.problems)
    assert any("truncated.json" in p for p in again.problems)


def test_bad_input_is_refused_with_a_message(tmp_path):
    store = MyDigitsStore(tmp_path)
    with pytest.raises(PlaygroundError, match="blank"):
        store.add(np.zeros((28, 28), np.uint8), 1)
    with pytest.raises(PlaygroundError, match="0-9"):
        store.add(digit_image(0), 10)
    with pytest.raises(PlaygroundError, match="28x28"):
        store.add(np.ones((20, 20), np.uint8), 1)
    assert len(store) == 0 and not list(tmp_path.glob("*.json"))


def test_export_png_grid_has_a_row_per_digit(tmp_path):
    from PIL import Image
    store = MyDigitsStore(tmp_path / "set")
    for i in range(3):
        store.add(digit_image(i), 0)
    store.add(digit_image(5), 9)
    path = store.export_png_grid(tmp_path / "grid.png")
    grid = np.array(Image.open(path))
    assert grid.shape == (2 * 29 + 1, 10 * 29 + 1)
    assert np.array_equal(grid[1:29, 1 + 2 * 29:29 + 2 * 29], digit_image(2))   # third 0 in the first row
    assert np.array_equal(grid[30:58, 1:29], digit_image(5))                    # the 9 in the second row


def test_export_idx_round_trips(tmp_path):
    store = MyDigitsStore(tmp_path / "set")
    store.add(digit_image(0), 2)
    store.add(digit_image(1), 8)
    images_path, labels_path = store.export_idx(tmp_path / "out")
    assert read_idx(images_path, 3).numpy().tolist() == np.stack([digit_image(0), digit_image(1)]).tolist()
    assert read_idx(labels_path, 1).tolist() == [2, 8]


def test_exporting_an_empty_set_says_so(tmp_path):
    store = MyDigitsStore(tmp_path)
    with pytest.raises(PlaygroundError, match="empty"):
        store.export_png_grid(tmp_path / "grid.png")
    with pytest.raises(PlaygroundError, match="empty"):
        store.export_idx(tmp_path)
