"""The Network tab's detail pane: the hovered node large, what a hidden unit looks for, or a whole layer as tiles."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from playground.engine.inspect.network_probe import NetworkPicture
from playground.engine.inspect.weight_images import mosaic
from playground.ui.labs.boundary_tab import CLASS_COLOURS, boundary_image
from playground.ui.network.network_scene import DIVERGING, GREY, sequential_lut
from playground.ui.network.network_text import unit_name


class DetailPane:
    """A title and an image beside the diagram, in the same GraphicsLayout."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int) -> None:
        self.title = layout.addLabel("", row=row, col=col)
        self.box = layout.addViewBox(row=row + 1, col=col, lockAspect=True, enableMouse=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.image)
        self.picture: NetworkPicture | None = None
        self.text_colour = "#282828"
        self._layout, self._col = layout, col
        self.set_width(220)

    def set_width(self, width: int) -> None:
        """Pin the pane's column to `width` pixels and wrap its title to it: a longer title for another node
        must never widen the column and push the diagram aside under the cursor."""
        self.width = max(120, int(width))
        self.title.item.setTextWidth(self.width)
        self.title.setMinimumWidth(0)
        self._layout.layout.setColumnFixedWidth(self._col, self.width)

    def clear(self) -> None:
        self.picture = None
        self.image.clear()
        self.title.setText("")

    def set(self, title: str, image: np.ndarray, levels, lut) -> None:
        self.title.setText(title, color=self.text_colour)
        self.image.setImage(image, levels=levels, lut=lut)
        self.image.setRect(QRectF(0, 0, image.shape[1] / max(image.shape), image.shape[0] / max(image.shape)))
        self.box.autoRange(padding=0.02)

    def show_default(self) -> None:
        pic = self.picture
        if pic is None:
            return
        if pic.input_image is not None:
            self.set("the input", pic.input_image[::-1], (0, 1), GREY)
        elif pic.layers[-1].heatmaps is not None and len(pic.layers[-1].shown) == pic.layers[-1].units:
            regions = boundary_image(np.moveaxis(pic.layers[-1].heatmaps, 0, -1)).transpose(1, 0, 2)
            self.set("the output: where each class wins", regions, (0, 255), None)
        else:
            self.image.clear()
            self.title.setText("hover a node to see it here", color=self.text_colour)

    def show_node(self, layer: int, unit: int | None) -> None:
        pic = self.picture
        info = pic.layers[layer]
        where = np.flatnonzero(info.shown == unit)
        if len(where) == 0:
            return self.show_default()
        j, last = int(where[0]), layer == len(pic.layers) - 1
        name = unit_name(pic, layer, unit)
        if info.heatmaps is not None:
            if last:
                lut = sequential_lut(CLASS_COLOURS[unit % len(CLASS_COLOURS)])
                return self.set(f"{name}: probability over the plane", info.heatmaps[j], (0, 1), lut)
            return self.set(f"{name} over the plane (±{info.scale:.2f})", info.heatmaps[j],
                                    (-info.scale, info.scale), DIVERGING)
        if info.pictures is not None:
            picture = info.pictures[j]
            scale = float(np.abs(picture).max()) or 1.0
            what = "its incoming weights" if layer == 1 else "the input change that raises it most"
            return self.set(f"{name}: {what}", picture[::-1], (-scale, scale), DIVERGING)
        self.show_default()

    def show_layer(self, layer: int) -> None:
        info = self.picture.layers[layer]
        if info.all_heatmaps is not None:
            tiles = mosaic(info.all_heatmaps[:, ::-1])
            n = len(info.all_heatmaps)
        elif info.all_values is not None:
            tiles = mosaic(info.all_values[:, None, None])
            n = len(info.all_values)
        else:
            self.image.clear()
            self.title.setText(f"{info.name}: choose an input to see all its units", color=self.text_colour)
            return
        tiles = np.nan_to_num(tiles, nan=0.0)
        title = f"{info.name}: {n:,} of {info.units:,} units, row by row (±{info.scale:.2f})"
        self.set(title, tiles[::-1], (-info.scale, info.scale), DIVERGING)
