"""Words for the Network view: what a hovered node, link or bias is (with its formula), and the plain dict of
what is drawn (`NetworkView.shown()`, the "Export view as JSON" action)."""
from __future__ import annotations

import numpy as np

from playground.engine.inspect.network_probe import NetworkPicture
from playground.ui.network.network_scene import Hit


def unit_name(pic: NetworkPicture, layer: int, unit: int) -> str:
    last = len(pic.layers) - 1
    if layer == 0:
        return f"x{unit + 1}" if pic.kind == "points" else f"pixel (row {unit // 28 + 1}, col {unit % 28 + 1})"
    if layer == last:
        names = pic.class_names
        return f"output '{names[unit]}'" if unit < len(names) else f"output {unit + 1}"
    return f"hidden {layer} unit {unit + 1}"


def _short(pic: NetworkPicture, layer: int, unit: int) -> str:
    return f"x{unit + 1}" if layer == 0 and pic.kind == "points" else f"h{layer}[{unit + 1}]" if layer else \
        f"px[{unit}]"


def incoming(pic: NetworkPicture, layer: int, unit: int) -> list[tuple[int, float]]:
    links = pic.links[layer - 1]
    sel = links.target == unit
    return list(zip(links.source[sel].tolist(), links.weight[sel].tolist()))


def node_text(pic: NetworkPicture, layer: int, unit: int) -> str:
    info = pic.layers[layer]
    hits = np.flatnonzero(info.shown == unit)
    if len(hits) == 0:
        return ""
    j = int(hits[0])
    name = unit_name(pic, layer, unit)
    if layer == 0:
        if pic.kind == "points":
            axis = "horizontal" if unit == 0 else "vertical"
            return f"input {name}: the point's {axis} coordinate. Its picture is {name} over the plane."
        return f"input {name}: {info.values[j]:.2f}" if info.values is not None else f"input {name}"
    terms = incoming(pic, layer, unit)
    b = float(info.biases[j])
    fan_in = pic.layers[layer - 1].units
    if len(terms) == fan_in and fan_in <= 4:
        inner = " ".join(f"{w:+.2f}*{_short(pic, layer - 1, s)}" for s, w in terms) + f" {b:+.2f}"
        inner = inner.lstrip("+")
    else:
        inner = "sum w*x + b"
    bias_note = "" if inner != "sum w*x + b" else f", b = {b:+.3f}"
    last = layer == len(pic.layers) - 1
    if info.values is not None and info.pre is not None:
        if last:
            return (f"{name}: softmax over the scores w*x + b{bias_note}; its score is {info.pre[j]:+.3f}, "
                    f"its probability {info.values[j]:.3f}")
        return f"{name} = {info.activation}({inner}) = {info.activation}({info.pre[j]:+.3f}) = " \
               f"{info.values[j]:.3f}{bias_note}"
    if info.heatmaps is not None:
        lo, hi = float(info.heatmaps[j].min()), float(info.heatmaps[j].max())
        what = "probability" if last else "value"
        formula = f"softmax(w*x + b){bias_note}" if last else f"{info.activation}({inner}){bias_note}"
        return f"{name} = {formula}; its {what} over the plane runs from {lo:.2f} to {hi:.2f}"
    return f"{name} = {info.activation}({inner}){bias_note}; choose an input to see its value"


def describe(pic: NetworkPicture, hit: Hit) -> str:
    if hit.kind == "node":
        return node_text(pic, hit.layer, hit.unit)
    if hit.kind == "link":
        return (f"weight from {unit_name(pic, hit.layer - 1, hit.source)} to {unit_name(pic, hit.layer, hit.unit)}: "
                f"{hit.value:+.4f}. Click to edit it.")
    if hit.kind == "bias":
        return f"bias of {unit_name(pic, hit.layer, hit.unit)}: {hit.value:+.4f}. Click to edit it."
    if hit.kind == "more":
        layer = pic.layers[hit.layer]
        return f"{layer.name}: {layer.more:,} more units not drawn. Click to see the whole layer as tiles."
    if hit.kind == "input" and pic.input_image is not None:
        r, c = divmod(hit.unit, 28)
        return f"pixel (row {r + 1}, col {c + 1}): {pic.input_image[r, c]:.2f}"
    return ""


def shown_dict(pic: NetworkPicture | None, links: int, heatmaps: int) -> dict:
    """What is drawn, as plain JSON-ready types."""
    if pic is None:
        return {"kind": None, "layers": [], "links": 0, "heatmaps": 0, "input_image": None, "version": None}
    layers = []
    for layer in pic.layers:
        values = [None] * len(layer.shown) if layer.values is None else [float(v) for v in layer.values]
        layers.append({"name": layer.name, "units": int(layer.units), "activation": layer.activation,
                       "shown": [int(u) for u in layer.shown], "values": values, "more": int(layer.more),
                       "biases": None if layer.biases is None else [float(b) for b in layer.biases]})
    image = None if pic.input_image is None else np.asarray(pic.input_image, dtype=float).tolist()
    return {"kind": pic.kind, "layers": layers, "links": int(links), "heatmaps": int(heatmaps),
            "input_image": image, "version": int(pic.version)}
