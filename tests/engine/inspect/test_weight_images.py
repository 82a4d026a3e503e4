import numpy as np
import torch

from playground.engine.config import TrainConfig
from playground.engine.model import build_model
from playground.engine.inspect.weight_images import GAP, first_layer_weights, tile_at, weight_mosaic


def test_first_layer_weights_copy_the_first_linear_layer():
    model = build_model(TrainConfig(hidden=(12, 5)), 784, 10)
    weights = first_layer_weights(model)
    assert weights.shape == (12, 784)
    np.testing.assert_array_equal(weights, model.fc1.weight.detach().numpy())
    with torch.no_grad():
        model.fc1.weight.zero_()
    assert np.abs(weights).sum() > 0     # a copy, not a view of the live weights


def test_each_tile_is_one_units_weights_laid_out_as_the_image():
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(10, 784)).astype(np.float32)
    weights[7] = 0.0
    mosaic, units = weight_mosaic(weights, (28, 28))
    cols = 4   # ceil(sqrt(10))
    assert units == 10
    assert mosaic.shape == (3 * (28 + GAP) - GAP, cols * (28 + GAP) - GAP)
    assert np.nanmax(np.abs(mosaic)) <= 1.0
    r, c = divmod(3, cols)
    tile = mosaic[r * (28 + GAP):r * (28 + GAP) + 28, c * (28 + GAP):c * (28 + GAP) + 28]
    # same pattern as unit 3's weights: perfectly correlated, only rescaled (and clipped at 3 std)
    unclipped = np.abs(tile) < 1
    assert np.corrcoef(tile[unclipped], weights[3].reshape(28, 28)[unclipped])[0, 1] > 0.999
    assert np.isnan(mosaic[28, 0]) and np.isnan(mosaic[0, 28])           # the gaps between tiles
    r, c = divmod(7, cols)
    assert (mosaic[r * (28 + GAP):r * (28 + GAP) + 28, c * (28 + GAP):c * (28 + GAP) + 28] == 0).all()


def test_tile_at_maps_pixels_back_to_units():
    _, units = weight_mosaic(np.ones((10, 784), dtype=np.float32), (28, 28))
    assert tile_at(0, 0, units, (28, 28)) == 0
    assert tile_at(27, 28 + GAP, units, (28, 28)) == 1
    assert tile_at(2 * (28 + GAP), 28 + GAP + 5, units, (28, 28)) == 9
    assert tile_at(2 * (28 + GAP), 2 * (28 + GAP), units, (28, 28)) is None   # past the last unit
    assert tile_at(28, 3, units, (28, 28)) is None                            # a gap


def test_wide_layers_show_the_first_tiles_only():
    _, units = weight_mosaic(np.ones((500, 784), dtype=np.float32), (28, 28), max_tiles=256)
    assert units == 256
    _, none = weight_mosaic(np.ones((3, 2), dtype=np.float32), (28, 28))
    assert none == 0
