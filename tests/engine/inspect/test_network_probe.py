import numpy as np
import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.model import build_model, linear_layers
from playground.engine.inspect.network_probe import (choose_units, image_features, picture_image, picture_plane, saliency,
                                             set_parameter, strongest_links, weights_of)
from playground.engine.train.training import inference_forward


def _net(hidden, inputs, classes, activation="tanh"):
    torch.manual_seed(0)
    config = TrainConfig(dataset="moons" if inputs == 2 else "synthetic-digits", hidden=hidden, dropout=(0.0,),
                         activation=activation)
    model = build_model(config, inputs, classes)
    return model, weights_of(model, activation, version=7)


def _activations(model, x):
    """Every Linear layer's activation output, by forward hooks on the real torch model."""
    outs = []
    hooks = [m.register_forward_hook(lambda _m, _i, o: outs.append(o.detach()))
             for name, m in model.named_children() if name.startswith("act")]
    with torch.no_grad():
        logits = inference_forward(model, x)
    for h in hooks:
        h.remove()
    return outs, torch.softmax(logits, 1)


def test_choose_units_keeps_all_small_layers_and_the_top_of_wide_ones():
    assert choose_units(np.array([3.0, 1.0, 2.0]), limit=4).tolist() == [0, 1, 2]
    relevance = np.arange(40, dtype=float) % 17
    shown = choose_units(relevance, limit=5)
    assert len(shown) == 5 and list(shown) == sorted(shown)
    assert set(relevance[shown]) == {16.0, 15.0, 14.0}


def test_strongest_links_keep_the_largest_weights_per_target():
    w = np.array([[0.1, -5.0, 2.0], [3.0, 0.2, -0.1]])
    links = strongest_links(w, np.array([0, 1, 2]), np.array([0, 1]), layer=1, per_node=2)
    got = sorted(zip(links.target.tolist(), links.source.tolist(), links.weight.tolist()))
    assert got == [(0, 1, -5.0), (0, 2, 2.0), (1, 0, 3.0), (1, 1, pytest.approx(0.2))]


def test_plane_picture_is_the_models_own_output_over_the_grid():
    model, weights = _net((4, 4), 2, 2)
    extent = (-1.0, 2.0, -1.5, 1.5)
    pic = picture_plane(weights, extent, ("a", "b"), grid=9)
    assert pic.version == 7 and [layer.units for layer in pic.layers] == [2, 4, 4, 2]
    assert all(layer.heatmaps.shape == (layer.units, 9, 9) for layer in pic.layers)
    gy, gx = torch.meshgrid(torch.linspace(-1.5, 1.5, 9), torch.linspace(-1.0, 2.0, 9), indexing="ij")
    points = torch.stack([gx.flatten(), gy.flatten()], 1)
    acts, probs = _activations(model, points)
    np.testing.assert_allclose(pic.layers[1].heatmaps, acts[0].T.reshape(4, 9, 9).numpy(), atol=1e-5)
    np.testing.assert_allclose(pic.layers[3].heatmaps, probs.T.reshape(2, 9, 9).numpy(), atol=1e-5)
    np.testing.assert_allclose(pic.layers[0].heatmaps[0][0], np.linspace(-1, 2, 9), atol=1e-6)   # x1 across
    assert pic.layers[1].scale == pytest.approx(float(acts[0].abs().max()), rel=1e-5)
    np.testing.assert_allclose(pic.layers[3].biases, linear_layers(model)[-1][1].bias.detach().numpy())
    assert sum(len(links.weight) for links in pic.links) == 2 * 4 + 4 * 4 + 4 * 2


def test_image_picture_values_match_the_model_and_wide_layers_are_cut():
    model, weights = _net((40, 20), 784, 10, activation="relu")
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 12:16] = 255
    pic = picture_image(weights, image, [str(i) for i in range(10)], limit=8, per_node=3)
    acts, probs = _activations(model, image_features(image))
    hidden = pic.layers[1]
    assert len(hidden.shown) == 8 and hidden.more == 32
    np.testing.assert_allclose(hidden.values, acts[0][0].numpy()[hidden.shown], atol=1e-5)
    top = np.sort(np.abs(acts[0][0].numpy()))[-8:]
    np.testing.assert_allclose(np.sort(np.abs(hidden.values)), top, atol=1e-5)
    np.testing.assert_allclose(pic.probabilities, probs[0].numpy(), atol=1e-5)
    assert (image.reshape(-1)[pic.layers[0].shown] == 255).all()       # the inked pixels are the ones shown
    assert all(len(links.weight) == 3 * len(pic.layers[links.layer].shown) for links in pic.links)
    # what a first-layer unit looks for is its incoming weights; deeper, an input gradient of the same shape
    np.testing.assert_allclose(hidden.pictures[0].ravel(), weights.layers[0][0][hidden.shown[0]])
    assert pic.layers[2].pictures.shape == (8, 28, 28) and np.abs(pic.layers[2].pictures).sum() > 0
    np.testing.assert_allclose(pic.input_image, image / 255.0)


def test_image_picture_without_input_ranks_by_outgoing_weights():
    _model, weights = _net((30,), 784, 10)
    pic = picture_image(weights, None, limit=5)
    assert pic.layers[1].values is None and pic.input_image is None
    norms = np.linalg.norm(weights.layers[1][0], axis=0)
    assert set(pic.layers[1].shown) == set(np.argsort(-norms)[:5])


def test_saliency_splits_the_change_in_log_probability_among_the_pixels():
    model, weights = _net((32,), 784, 10)
    image = np.zeros((28, 28), np.uint8)
    image[6:22, 10:18] = 200
    result = saliency(weights, image, target=3, steps=256)
    with torch.no_grad():
        log_p = lambda img: torch.log_softmax(inference_forward(model, image_features(img)), 1)[0, 3].item()  # noqa
    expected = log_p(image) - log_p(np.zeros_like(image))
    assert result.target == 3 and result.attribution.shape == (28, 28)
    assert result.total == pytest.approx(expected, abs=0.02 + 0.01 * abs(expected))
    assert (result.attribution[image == 0] == 0).all()    # no ink, no share of the change
    assert saliency(weights, image).target == int(result.probabilities.argmax())


def test_set_parameter_changes_one_weight_or_bias_and_refuses_nonsense():
    model, _ = _net((3,), 2, 2)
    first = linear_layers(model)[0][1]
    old = set_parameter(model, 1, 2, 1, 0.75)
    assert first.weight[2, 1].item() == pytest.approx(0.75) and old != 0.75
    set_parameter(model, 2, 0, None, -1.5)
    assert linear_layers(model)[1][1].bias[0].item() == pytest.approx(-1.5)
    for args in ((3, 0, 0, 1.0), (1, 5, 0, 1.0), (1, 0, 9, 1.0), (1, 0, 0, float("nan"))):
        with pytest.raises(PlaygroundError):
            set_parameter(model, *args)
