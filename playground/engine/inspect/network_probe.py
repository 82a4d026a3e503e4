"""What the Network view draws, computed in one batched forward pass from plain weight arrays.

The input is what a weight snapshot holds: each Linear layer's (W (out, in), b (out,)) as numpy arrays, plus the
activation names. For 2-D sets every node's output over a grid of the input plane comes from one forward pass
of the whole grid (as tensorflow/playground draws its node canvases); for image sets, every unit's activation
for one 28x28 input. Wide layers are cut to their most relevant units here, with the strongest incoming links
per shown node, so the view only draws a few hundred items.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from playground.engine.datasets.base import to_features
from playground.engine.errors import PlaygroundError
from playground.engine.model import linear_layers
from playground.engine.registry import ACTIVATIONS

UNIT_LIMIT = 16        # a layer wider than this shows its most relevant units and "+N more"
LINKS_PER_NODE = 8     # strongest incoming links drawn per shown node
GRID = 40              # heatmap resolution for 2-D sets
TILE_LIMIT = 256       # units a layer's tile grid holds at most


@dataclass(frozen=True)
class NetWeights:
    """A copy of a network's parameters: plain arrays, safe to hand between threads."""
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]   # (W (out, in), b (out,)) per Linear layer, input first
    activation: str
    output_activation: str = "none"
    version: int = 0

    @property
    def sizes(self) -> list[int]:
        return [self.layers[0][0].shape[1], *(w.shape[0] for w, _b in self.layers)] if self.layers else []


@dataclass(frozen=True)
class LayerPicture:
    name: str                      # "input", "hidden 1", ..., "output"
    units: int
    activation: str                # "" for the input layer, "softmax" for the output's probabilities
    shown: np.ndarray              # (k,) unit indices, ascending
    values: np.ndarray | None      # (k,) activation of the shown units for the current input, or None
    biases: np.ndarray | None      # (k,) bias of the shown units (None for the input layer)
    pre: np.ndarray | None = None  # (k,) pre-activation w.x + b for the current input
    heatmaps: np.ndarray | None = None     # (k, GRID, GRID) output over the plane [row = y, col = x]
    scale: float = 1.0             # shared colour scale of this layer: values in [-scale, scale]
    all_values: np.ndarray | None = None   # (units,) every unit's value (image input), for the tile grid
    all_heatmaps: np.ndarray | None = None  # (min(units, TILE_LIMIT), GRID, GRID) for the tile grid
    pictures: np.ndarray | None = None     # (k, 28, 28) what each shown hidden unit looks for (image sets)

    @property
    def more(self) -> int:
        return self.units - len(self.shown)


@dataclass(frozen=True)
class Links:
    """Links into layer `layer` (>= 1) from layer `layer - 1`, as unit indices of those layers."""
    layer: int
    source: np.ndarray   # (m,) int
    target: np.ndarray   # (m,) int
    weight: np.ndarray   # (m,) float


@dataclass(frozen=True)
class NetworkPicture:
    kind: str                                   # "points" or "image"
    version: int
    layers: tuple[LayerPicture, ...]
    links: tuple[Links, ...]
    extent: tuple[float, float, float, float] | None = None   # x0, x1, y0, y1 of the 2-D grid
    input_image: np.ndarray | None = None       # (28, 28) float in [0, 1]: the image fed in
    probabilities: np.ndarray | None = None     # (classes,) for the image fed in
    class_names: tuple[str, ...] = field(default_factory=tuple)


def _tensors(weights: NetWeights) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(torch.from_numpy(np.asarray(w, dtype=np.float32)), torch.from_numpy(np.asarray(b, dtype=np.float32)))
            for w, b in weights.layers]


def _forward(weights: NetWeights, params, x: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Every layer's pre-activation and output for a batch x (N, inputs); the last output is probabilities."""
    act = ACTIVATIONS[weights.activation].make()
    out_act = None if weights.output_activation == "none" else ACTIVATIONS[weights.output_activation].make()
    pres, outs = [x], [x]
    for i, (w, b) in enumerate(params):
        z = F.linear(outs[-1], w, b)
        last = i == len(params) - 1
        if last:
            logits = out_act(z) if out_act is not None else z
            a = torch.softmax(logits, 1)
        else:
            a = act(z)
        pres.append(z)
        outs.append(a)
    return pres, outs


def _outgoing_norms(weights: NetWeights) -> list[np.ndarray]:
    """Per layer, each unit's outgoing weight norm (the output layer: ones)."""
    norms = [np.linalg.norm(w, axis=0) for w, _b in weights.layers]
    return [*norms, np.ones(weights.layers[-1][0].shape[0], dtype=np.float32)]


def choose_units(relevance: np.ndarray, limit: int = UNIT_LIMIT) -> np.ndarray:
    """All units when there are at most `limit`, else the `limit` most relevant, in ascending index order."""
    n = len(relevance)
    if n <= limit:
        return np.arange(n)
    top = np.argpartition(-np.nan_to_num(relevance, nan=-np.inf), limit - 1)[:limit]
    return np.sort(top)


def strongest_links(weight: np.ndarray, sources: np.ndarray, targets: np.ndarray, layer: int,
                    per_node: int = LINKS_PER_NODE) -> Links:
    """For each target unit, its `per_node` largest-|w| incoming links from the shown source units."""
    sub = weight[np.ix_(targets, sources)]                 # (targets, sources)
    k = min(per_node, len(sources))
    if k == 0 or len(targets) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Links(layer, empty, empty, np.zeros(0, dtype=np.float32))
    cols = np.argsort(-np.abs(sub), axis=1)[:, :k]
    rows = np.repeat(np.arange(len(targets)), k)
    cols = cols.ravel()
    return Links(layer, sources[cols], targets[rows], sub[rows, cols].astype(np.float32))


def _layer_name(i: int, n_layers: int) -> str:
    return "input" if i == 0 else ("output" if i == n_layers - 1 else f"hidden {i}")


def _links(weights: NetWeights, shown: list[np.ndarray], per_node: int) -> tuple[Links, ...]:
    return tuple(strongest_links(w, shown[i], shown[i + 1], i + 1, per_node)
                 for i, (w, _b) in enumerate(weights.layers))


@torch.no_grad()
def picture_plane(weights: NetWeights, extent: tuple[float, float, float, float], class_names=(),
                  limit: int = UNIT_LIMIT, per_node: int = LINKS_PER_NODE, grid: int = GRID) -> NetworkPicture:
    """A 2-D net: every layer's output over a grid x grid sampling of `extent`, in one forward pass."""
    x0, x1, y0, y1 = extent
    gy, gx = torch.meshgrid(torch.linspace(y0, y1, grid), torch.linspace(x0, x1, grid), indexing="ij")
    points = torch.stack([gx.flatten(), gy.flatten()], 1)
    params = _tensors(weights)
    _pres, outs = _forward(weights, params, points)
    norms = _outgoing_norms(weights)
    n = len(outs)
    layers, shown_all = [], []
    for i, out in enumerate(outs):
        maps = out.T.reshape(-1, grid, grid).numpy()          # (units, grid, grid)
        relevance = norms[i] * (maps.std(axis=(1, 2)) + 1e-6)   # units that vary and feed forward strongly
        shown = choose_units(relevance, limit)
        shown_all.append(shown)
        scale = 1.0 if i == n - 1 else float(np.abs(maps).max()) or 1.0
        bias = None if i == 0 else weights.layers[i - 1][1][shown].astype(np.float32)
        activation = "" if i == 0 else ("softmax" if i == n - 1 else weights.activation)
        layers.append(LayerPicture(_layer_name(i, n), maps.shape[0], activation, shown, None, bias,
                                   heatmaps=maps[shown], scale=scale,
                                   all_heatmaps=maps[:TILE_LIMIT] if len(shown) < maps.shape[0] else None))
    return NetworkPicture("points", weights.version, tuple(layers), _links(weights, shown_all, per_node),
                          extent=tuple(map(float, extent)), class_names=tuple(class_names))


def image_features(image: np.ndarray) -> torch.Tensor:
    """A (28, 28) uint8 image (ink bright) -> the (1, 784) network input."""
    return to_features(torch.as_tensor(np.asarray(image, dtype=np.uint8))[None]).flatten(1)


def _unit_pictures(weights: NetWeights, params, x: torch.Tensor, shown: list[np.ndarray]) -> list[np.ndarray | None]:
    """What each shown hidden unit looks for: layer 1, its incoming weights; deeper, the gradient of its
    pre-activation with respect to the input at x (one batched backward pass for all of them)."""
    side = int(round(np.sqrt(x.shape[1])))
    result: list[np.ndarray | None] = [None] * len(shown)
    if side * side != x.shape[1] or len(params) < 2:
        return result
    result[1] = weights.layers[0][0][shown[1]].reshape(-1, side, side).astype(np.float32)
    deeper = [(i, u) for i in range(2, len(shown) - 1) for u in shown[i]]
    if not deeper:
        return result
    with torch.enable_grad():
        xs = x.repeat(len(deeper), 1).requires_grad_(True)
        pres, _outs = _forward(weights, params, xs)
        picked = torch.stack([pres[i][row, int(u)] for row, (i, u) in enumerate(deeper)])
        (grad,) = torch.autograd.grad(picked.sum(), xs)
    grads = grad.reshape(-1, side, side).numpy()
    start = 0
    for i in range(2, len(shown) - 1):
        result[i] = grads[start:start + len(shown[i])]
        start += len(shown[i])
    return result


@torch.no_grad()
def picture_image(weights: NetWeights, image: np.ndarray | None, class_names=(), limit: int = UNIT_LIMIT,
                  per_node: int = LINKS_PER_NODE) -> NetworkPicture:
    """An image net: each unit's activation for one 28x28 uint8 input (or, with none, the units with the
    largest outgoing weights and no values)."""
    params = _tensors(weights)
    n_inputs = weights.sizes[0]
    x = image_features(image) if image is not None else image_features(np.zeros((28, 28), np.uint8))
    if x.shape[1] != n_inputs:
        x = torch.zeros(1, n_inputs)
    pres, outs = _forward(weights, params, x)
    norms = _outgoing_norms(weights)
    n = len(outs)
    shown_all = []
    for i, out in enumerate(outs):
        a = out[0].numpy()
        if image is None:
            relevance = norms[i]
        elif i == 0:
            relevance = np.abs(a - float(x.min())) * norms[i]     # inked pixels that feed forward strongly
        else:
            relevance = np.abs(a)
        shown_all.append(choose_units(relevance, limit))
    pictures = _unit_pictures(weights, params, x, shown_all)
    layers = []
    for i, out in enumerate(outs):
        a, shown = out[0].numpy(), shown_all[i]
        values = None if image is None else a[shown].astype(np.float32)
        scale = 1.0 if i == n - 1 else float(np.abs(a).max()) or 1.0
        bias = None if i == 0 else weights.layers[i - 1][1][shown].astype(np.float32)
        pre = None if i == 0 or image is None else pres[i][0].numpy()[shown].astype(np.float32)
        activation = "" if i == 0 else ("softmax" if i == n - 1 else weights.activation)
        layers.append(LayerPicture(_layer_name(i, n), len(a), activation, shown, values, bias, pre=pre,
                                   scale=scale, all_values=None if image is None else a.astype(np.float32),
                                   pictures=pictures[i]))
    input_image = None if image is None else np.asarray(image, dtype=np.float32) / 255.0
    probs = None if image is None else outs[-1][0].numpy().astype(np.float32)
    return NetworkPicture("image", weights.version, tuple(layers), _links(weights, shown_all, per_node),
                          input_image=input_image, probabilities=probs, class_names=tuple(class_names))


@dataclass(frozen=True)
class Saliency:
    target: int                 # the class explained
    attribution: np.ndarray     # (28, 28): + pushed towards the class, - pushed against it
    probabilities: np.ndarray   # (classes,) for the image
    total: float                # sum of the attribution: log p(target | image) - log p(target | blank)


def saliency(weights: NetWeights, image: np.ndarray, target: int | None = None, steps: int = 32) -> Saliency:
    """Integrated gradients of log p(target) from a blank image to `image`, in one batched pass.

    Each pixel's share of the change in the class's log-probability between a blank canvas and the drawing:
    positive where the ink raised the class, negative where it argued against it. `target` None explains the
    predicted class.
    """
    params = _tensors(weights)
    x = image_features(image)
    blank = image_features(np.zeros_like(np.asarray(image), dtype=np.uint8))
    with torch.no_grad():
        probs = _forward(weights, params, x)[1][-1][0]
    target = int(probs.argmax()) if target is None else int(target)
    alphas = (torch.arange(steps, dtype=torch.float32) + 0.5) / steps
    path = (blank + alphas[:, None] * (x - blank)).requires_grad_(True)
    log_p = torch.log(_forward(weights, params, path)[1][-1][:, target].clamp_min(1e-12))
    (grad,) = torch.autograd.grad(log_p.sum(), path)
    attribution = ((x - blank)[0] * grad.mean(0)).detach().reshape(np.asarray(image).shape).numpy()
    return Saliency(target, attribution.astype(np.float32), probs.numpy().astype(np.float32),
                    float(attribution.sum()))


def set_parameter(model: torch.nn.Module, layer: int, unit: int, source: int | None, value: float) -> float:
    """Set one weight (source is the unit of the layer below) or, with source None, one bias of Linear layer
    `layer` (1-based, input to output) to `value`; returns the old value. The caller holds the weights lock."""
    if not np.isfinite(value):
        raise PlaygroundError(f"a weight must be a finite number, got {value}")
    linears = linear_layers(model)
    if not 1 <= layer <= len(linears):
        raise PlaygroundError(f"there is no layer {layer}: the network has {len(linears)} weight layers")
    lin = linears[layer - 1][1]
    if not 0 <= unit < lin.out_features or (source is not None and not 0 <= source < lin.in_features):
        raise PlaygroundError("that unit is not in the network")
    with torch.no_grad():
        tensor = lin.bias if source is None else lin.weight
        index = (unit,) if source is None else (unit, source)
        old = float(tensor[index])
        tensor[index] = float(value)
    return old


def weights_of(model: torch.nn.Module, activation: str, output_activation: str = "none",
               version: int = 0) -> NetWeights:
    """A NetWeights copy of a model's Linear layers (the caller holds the weights lock)."""
    with torch.no_grad():
        layers = tuple((m.weight.detach().float().cpu().numpy().copy(), m.bias.detach().float().cpu().numpy().copy())
                       for _name, m in linear_layers(model))
    return NetWeights(layers, activation, output_activation, version)
