"""The network diagram in a pyqtgraph ViewBox: nodes as small pictures, links as lines, biases as squares.

Every item is created once and reused; a refresh only moves them and calls `setImage`/`setData`. Links are
grouped by sign and width into a few line items (`connect="pairs"`), so hundreds of links are ten items.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsRectItem

from playground.engine.inspect.network_probe import NetworkPicture
from playground.ui.labs.boundary_tab import CLASS_COLOURS
from playground.ui.sign_colours import NEGATIVE, NEUTRAL, POSITIVE   # blue positive, orange negative: every tab

COL = 4.0          # distance between layer columns
NODE = 1.0         # node side
GAP = 1.45         # distance between nodes in a column
IMAGE_NODE = 7.0   # side of the input image of an image net
WIDTHS = (0.6, 1.1, 1.8, 2.7, 4.0)   # link widths in pixels, by |w| relative to the layer's largest drawn


def diverging_lut(n: int = 256) -> np.ndarray:
    """(n, 3) uint8: orange (negative) - light grey (0) - blue (positive)."""
    t = np.linspace(-1, 1, n)[:, None]
    rgb = np.where(t < 0, NEUTRAL + (NEGATIVE - NEUTRAL) * -t, NEUTRAL + (POSITIVE - NEUTRAL) * t)
    return rgb.astype(np.uint8)


def sequential_lut(colour, n: int = 256) -> np.ndarray:
    """(n, 3) uint8 from near-white to `colour` (probabilities 0..1)."""
    t = np.linspace(0, 1, n)[:, None]
    return (NEUTRAL + (np.asarray(colour, dtype=np.float32) - NEUTRAL) * t).astype(np.uint8)


DIVERGING = diverging_lut()
GREY = np.stack([np.arange(256)] * 3, 1).astype(np.uint8)
PROBABILITY = sequential_lut(POSITIVE)
CLASS_TABLE = np.stack([sequential_lut(c) for c in CLASS_COLOURS])    # (classes, 256, 3)


def column_image(maps: np.ndarray, lo: float, hi: float, luts: np.ndarray) -> tuple[np.ndarray, int]:
    """(k, g, g) heatmaps, top node first -> one (rows, g, 4) RGBA image, row 0 at the bottom, with
    transparent gaps of GAP - NODE between nodes; `luts` is (1 or k, 256, 3). Returns it and g."""
    k, g, _ = maps.shape
    gap = int(round((GAP - NODE) * g))
    index = np.clip((maps - lo) * (255.0 / ((hi - lo) or 1.0)), 0, 255).astype(np.intp)
    rgb = luts[np.arange(len(luts))[:, None, None] if len(luts) == k else 0, index]    # (k, g, g, 3)
    out = np.zeros((k * g + (k - 1) * gap, g, 4), dtype=np.uint8)
    for j in range(k):
        row = (k - 1 - j) * (g + gap)
        out[row:row + g, :, :3] = rgb[j]
        out[row:row + g, :, 3] = 255
    return out, g
_BRUSHES: dict[int, list] = {}


def brushes(values: np.ndarray, lo: float, hi: float, lut: np.ndarray = DIVERGING) -> list:
    """One QBrush per value from `lut` over [lo, hi]; the brushes are made once per lut and reused."""
    table = _BRUSHES.get(id(lut))
    if table is None:
        table = _BRUSHES[id(lut)] = [pg.mkBrush(*map(int, rgb)) for rgb in lut]
    t = np.clip((np.asarray(values, dtype=np.float64) - lo) / ((hi - lo) or 1.0), 0, 1)
    return [table[i] for i in np.round(t * (len(table) - 1)).astype(int)]


@dataclass(frozen=True)
class Hit:
    kind: str                   # "node", "bias", "link", "more" or "input"
    layer: int
    unit: int | None = None     # unit index in `layer` (the target of a link; a pixel for "input")
    source: int | None = None   # a link's unit in layer - 1
    value: float | None = None  # a link's weight or a bias


class NetworkScene:
    def __init__(self, box: pg.ViewBox) -> None:
        self.box = box
        self.text_colour = QColor(40, 40, 40)
        self._images: list[pg.ImageItem] = []
        self._texts: list[pg.TextItem] = []
        self.input_image = pg.ImageItem(axisOrder="row-major")
        self.input_image.setZValue(1)
        box.addItem(self.input_image)
        self.pixel_marks = pg.ScatterPlotItem(pxMode=True, size=6, symbol="o", pen=pg.mkPen((8, 119, 189), width=1.5),
                                              brush=pg.mkBrush(0, 0, 0, 0))
        self.pixel_marks.setZValue(2)
        box.addItem(self.pixel_marks)
        self._link_items = {}
        for sign in (1, -1):
            for b in range(len(WIDTHS)):
                item = pg.PlotCurveItem(connect="pairs")
                item.setSegmentedLineMode("on")   # one line per link: drawLines, not one path for all
                item.setZValue(-2 + b / len(WIDTHS))   # the strongest links on top
                box.addItem(item)
                self._link_items[sign, b] = item
        self.set_background(QColor(255, 255, 255))
        self.dots = pg.ScatterPlotItem(pxMode=False, size=NODE, symbol="s", pen=pg.mkPen((120, 120, 120), width=1))
        self.dots.setZValue(1)
        box.addItem(self.dots)
        self.biases = pg.ScatterPlotItem(pxMode=True, size=8, symbol="s", pen=pg.mkPen((90, 90, 90), width=1))
        self.biases.setZValue(3)
        box.addItem(self.biases)
        self.outline = QGraphicsRectItem()
        self.outline.setPen(pg.mkPen((214, 39, 40), width=2.5))
        self.outline.setZValue(4)
        self.outline.hide()
        box.addItem(self.outline)
        self.clear()

    # --- state -----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.picture: NetworkPicture | None = None
        self.node_xy = np.zeros((0, 2))
        self.node_ids: list[tuple[int, int]] = []
        self.node_index: dict[tuple[int, int], int] = {}
        self.bias_ids: list[tuple[int, int, float]] = []
        self.bias_xy = np.zeros((0, 2))
        self.link_ends = np.zeros((0, 4))
        self.link_ids: list[tuple[int, int, int, float]] = []
        self.more_xy: dict[int, tuple[float, float]] = {}
        self.links_drawn = 0
        self.heatmaps_drawn = 0
        self.image_rect: QRectF | None = None
        self._layout_key: tuple | None = None
        for item in (*self._images, *self._texts):
            item.hide()
        for item in self._link_items.values():
            item.setData([], [])
        self.input_image.clear()
        self.pixel_marks.clear()
        self.dots.clear()
        self.biases.clear()
        self.outline.hide()

    def set_background(self, background: QColor) -> None:
        """Link pens for this background: each sign's colour mixed 75/25 with it, opaque. A translucent pen
        looks the same where links do not cross, but Qt rasterises it about eight times slower, and the
        diagram is repainted several times a second while training."""
        back = np.array(background.getRgb()[:3], dtype=np.float32)
        for (sign, b), item in self._link_items.items():
            colour = (0.75 * (POSITIVE if sign > 0 else NEGATIVE) + 0.25 * back).round().astype(int)
            item.setPen(pg.mkPen(tuple(colour), width=WIDTHS[b]))

    def _image(self, i: int) -> pg.ImageItem:
        while len(self._images) <= i:
            item = pg.ImageItem(axisOrder="row-major")
            item.setZValue(1)
            self.box.addItem(item)
            self._images.append(item)
        return self._images[i]

    def _text(self, i: int, text: str, x: float, y: float, anchor) -> pg.TextItem:
        while len(self._texts) <= i:
            item = pg.TextItem()
            item.setZValue(5)
            self.box.addItem(item)
            self._texts.append(item)
        item = self._texts[i]
        state = (text, tuple(anchor), self.text_colour.rgba())
        if getattr(item, "_state", None) != state:    # setText re-lays the text out: only when it changed
            item.setAnchor(anchor)
            item.setColor(self.text_colour)
            item.setText(text)
            item._state = state
        item.setPos(x, y)
        item.show()
        return item

    # --- drawing ----------------------------------------------------------------------------------
    def draw(self, pic: NetworkPicture) -> None:
        """Lay out and colour everything for one picture (GUI thread; no computation beyond placement)."""
        self.picture = pic
        image_net = pic.kind == "image"
        layers = pic.layers
        xy: list[np.ndarray] = []      # node centres per layer, (k, 2)
        for i, layer in enumerate(layers):
            k = len(layer.shown)
            ys = ((k - 1) / 2 - np.arange(k)) * GAP
            xy.append(np.stack([np.full(k, i * COL), ys], 1))
        if image_net:
            xy[0] = self._place_input_image(pic)
        else:   # a 2-D model's inputs are x1 and x2: no picture of an earlier image model's input stays behind
            self.input_image.clear()
            self.pixel_marks.clear()
            self.image_rect = None
        self.node_xy = np.concatenate([c for i, c in enumerate(xy) if not (image_net and i == 0)] or [np.zeros((0, 2))])
        self.node_ids = [(i, int(u)) for i, layer in enumerate(layers) if not (image_net and i == 0) for u in layer.shown]
        self.node_index = {key: n for n, key in enumerate(self.node_ids)}
        self._draw_nodes(pic, xy)
        self._draw_links(pic, xy)
        self._draw_biases(pic, xy)
        self._draw_labels(pic, xy)
        key = (pic.kind, tuple(len(layer.shown) for layer in layers))
        if key != self._layout_key:
            self._layout_key = key
            self.box.autoRange(padding=0.08)

    def _place_input_image(self, pic: NetworkPicture) -> np.ndarray:
        left, top = NODE / 2 - IMAGE_NODE, IMAGE_NODE / 2
        self.image_rect = QRectF(left, -IMAGE_NODE / 2, IMAGE_NODE, IMAGE_NODE)
        if pic.input_image is not None:
            self.input_image.setImage(pic.input_image[::-1], levels=(0, 1), lut=GREY)
        else:
            self.input_image.setImage(np.zeros((28, 28), np.float32), levels=(0, 1), lut=GREY)
        self.input_image.setRect(self.image_rect)
        pixels = pic.layers[0].shown
        side = IMAGE_NODE / 28
        xy = np.stack([left + (pixels % 28 + 0.5) * side, top - (pixels // 28 + 0.5) * side], 1)
        self.pixel_marks.setData(xy[:, 0], xy[:, 1])
        return xy

    def _draw_nodes(self, pic: NetworkPicture, xy: list[np.ndarray]) -> None:
        """Heatmaps as small images; single values (an image net's units) as squares of one scatter item."""
        n, heatmaps, last = 0, 0, len(pic.layers) - 1
        dots_xy, dots_brush = [], []
        for i, layer in enumerate(pic.layers):
            if pic.kind == "image" and i == 0:
                continue
            if layer.heatmaps is None:
                dots_xy.append(xy[i])
                if layer.values is None:
                    dots_brush += brushes(np.zeros(len(xy[i])), -1, 1)
                elif i == last:
                    dots_brush += brushes(layer.values, 0, 1, PROBABILITY)
                else:
                    dots_brush += brushes(layer.values, -layer.scale, layer.scale)
                continue
            if len(xy[i]) == 0:
                continue
            # one image per layer: its heatmaps stacked with transparent gaps (one render, not one per node)
            if i == last:
                luts = CLASS_TABLE[layer.shown % len(CLASS_TABLE)]
                column, g = column_image(layer.heatmaps, 0.0, 1.0, luts)
            else:
                column, g = column_image(layer.heatmaps, -layer.scale, layer.scale, DIVERGING[None])
            item = self._image(n)
            n += 1
            heatmaps += len(layer.shown)
            x, y_low = xy[i][-1]
            item.setImage(column, autoLevels=False, levels=(0, 255))
            item.setRect(QRectF(x - NODE / 2, y_low - NODE / 2, NODE, column.shape[0] / g * NODE))
            item.show()
        for item in self._images[n:]:
            item.hide()
        self.heatmaps_drawn = heatmaps
        if dots_xy:
            pos = np.concatenate(dots_xy)
            self.dots.setData(x=pos[:, 0], y=pos[:, 1], brush=dots_brush)
        else:
            self.dots.clear()

    def _draw_links(self, pic: NetworkPicture, xy: list[np.ndarray]) -> None:
        ends, ids, buckets, signs = [], [], [], []
        for links in pic.links:
            if len(links.weight) == 0:
                continue
            # shown units are in ascending order, so a unit's row in xy is its rank among them
            src = xy[links.layer - 1][np.searchsorted(pic.layers[links.layer - 1].shown, links.source)]
            dst = xy[links.layer][np.searchsorted(pic.layers[links.layer].shown, links.target)]
            from_image = pic.kind == "image" and links.layer == 1
            ends.append(np.column_stack([src[:, 0] + (0 if from_image else NODE / 2), src[:, 1],
                                         dst[:, 0] - NODE / 2, dst[:, 1]]))
            ids += [(links.layer, t, s, w) for s, t, w in
                    zip(links.source.tolist(), links.target.tolist(), links.weight.tolist())]
            biggest = float(np.abs(links.weight).max()) or 1.0
            buckets.append(np.minimum((np.abs(links.weight) / biggest * len(WIDTHS)).astype(int), len(WIDTHS) - 1))
            signs.append(np.where(links.weight >= 0, 1, -1))
        self.link_ends = np.concatenate(ends) if ends else np.zeros((0, 4))
        self.link_ids = ids
        self.links_drawn = len(ids)
        buckets_a = np.concatenate(buckets) if buckets else np.zeros(0, int)
        signs_a = np.concatenate(signs) if signs else np.zeros(0, int)
        for (sign, b), item in self._link_items.items():
            sel = self.link_ends[(buckets_a == b) & (signs_a == sign)]
            item.setData(sel[:, [0, 2]].ravel(), sel[:, [1, 3]].ravel())

    def _draw_biases(self, pic: NetworkPicture, xy: list[np.ndarray]) -> None:
        pos, brush, self.bias_ids = [], [], []
        for i, layer in enumerate(pic.layers):
            if layer.biases is None or len(layer.biases) == 0:
                continue
            scale = float(np.abs(layer.biases).max()) or 1.0
            pos.append(xy[i] - NODE / 2)
            brush += brushes(layer.biases, -scale, scale)
            self.bias_ids += [(i, int(u), float(b)) for u, b in zip(layer.shown, layer.biases)]
        self.bias_xy = np.concatenate(pos) if pos else np.zeros((0, 2))
        self.biases.setData(x=self.bias_xy[:, 0], y=self.bias_xy[:, 1], brush=brush)

    def _draw_labels(self, pic: NetworkPicture, xy: list[np.ndarray]) -> None:
        t, self.more_xy = 0, {}
        last = len(pic.layers) - 1
        top = max(float(c[:, 1].max()) for c in xy if len(c)) + NODE
        bottom = min(float(c[:, 1].min()) for c in xy if len(c)) - NODE
        if pic.kind == "image":
            top = max(top, IMAGE_NODE / 2 + 0.3)
            bottom = min(bottom, -IMAGE_NODE / 2 - 0.3)
        for i, layer in enumerate(pic.layers):
            x = i * COL if not (pic.kind == "image" and i == 0) else NODE / 2 - IMAGE_NODE / 2
            what = layer.activation or ("pixels" if pic.kind == "image" else "features (x1, x2)")
            self._text(t, f"{layer.name}\n{layer.units:,} {what}", x, top, (0.5, 1)).show()
            t += 1
            if layer.more > 0:
                self._text(t, f"+{layer.more:,} more ▸", x, bottom, (0.5, 0))
                self.more_xy[i] = (x, bottom)
                t += 1
        names = pic.class_names
        out = pic.layers[last]
        for j, ((x, y), u) in enumerate(zip(xy[last], out.shown)):
            name = names[u] if u < len(names) else str(u)
            text = name if out.values is None else f"{name}  {out.values[j]:.2f}"
            self._text(t, text, x + NODE / 2 + 0.2, y, (0, 0.5))
            t += 1
        for item in self._texts[t:]:
            item.hide()

    # --- hit testing -------------------------------------------------------------------------------
    def hit(self, x: float, y: float, pixel: float) -> Hit | None:
        """What is under view point (x, y); `pixel` is the view size of one screen pixel."""
        if self.picture is None:
            return None
        if len(self.bias_xy):
            d = np.hypot(*(self.bias_xy - (x, y)).T) / pixel
            k = int(d.argmin())
            if d[k] <= 6:
                layer, unit, b = self.bias_ids[k]
                return Hit("bias", layer, unit, None, b)
        if len(self.node_xy):
            inside = (np.abs(self.node_xy - (x, y)) <= NODE / 2).all(1)
            if inside.any():
                layer, unit = self.node_ids[int(np.argmax(inside))]
                return Hit("node", layer, unit)
        for layer, (mx, my) in self.more_xy.items():
            if abs(x - mx) <= 1.5 and my - 30 * pixel <= y <= my + 4 * pixel:
                return Hit("more", layer)
        if len(self.link_ends):
            hit = self._link_at(x, y, pixel)
            if hit is not None:
                return hit
        if self.image_rect is not None and self.image_rect.contains(x, y):
            r = self.image_rect
            col = int((x - r.left()) / r.width() * 28)
            row = int((r.bottom() - y) / r.height() * 28)
            return Hit("input", 0, min(row, 27) * 28 + min(col, 27))
        return None

    def _link_at(self, x: float, y: float, pixel: float) -> Hit | None:
        p0, p1 = self.link_ends[:, :2], self.link_ends[:, 2:]
        d = p1 - p0
        t = np.clip(((np.array([x, y]) - p0) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
        dist = np.hypot(*(p0 + t[:, None] * d - (x, y)).T) / pixel
        k = int(dist.argmin())
        if dist[k] > 4:
            return None
        layer, target, source, w = self.link_ids[k]
        return Hit("link", layer, target, source, w)

    def node_rect(self, layer: int, unit: int) -> QRectF | None:
        n = self.node_index.get((layer, unit))
        if n is None:
            return None
        x, y = self.node_xy[n]
        return QRectF(x - NODE / 2, y - NODE / 2, NODE, NODE)

    def mark(self, layer: int | None, unit: int | None) -> None:
        """Outline a node (the one a selected weight or bias belongs to), or nothing."""
        rect = None if layer is None or unit is None else self.node_rect(layer, unit)
        if rect is None:
            self.outline.hide()
            return
        self.outline.setRect(rect.adjusted(-0.08, -0.08, 0.08, 0.08))
        self.outline.show()
