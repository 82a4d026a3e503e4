"""The Network tab: the network itself, every node a small picture of what it computes, updated live.

The view asks for a new picture a few times a second while it is visible and the weights changed; the engine
computes it on a worker thread (one batched forward pass) and the GUI thread only places items and calls
`setImage`. Edits to a weight or bias go through the session, never into tensors from here.
"""
from __future__ import annotations

import json
import random

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
                               QWidget)

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.network_probe import UNIT_LIMIT, picture_image, picture_plane
from playground.ui import theme
from playground.ui.network.network_detail import DetailPane
from playground.ui.network.network_scene import Hit, NetworkScene
from playground.ui.sign_colours import SIGN_LEGEND
from playground.ui.network.network_source import NetworkSource
from playground.ui.network.network_text import describe, shown_dict
from playground.ui.buttons import button
from playground.ui.job_runner import JobRunner

REFRESH_MS = 350     # about 3 pictures a second while training; each is computed off the GUI thread
EMPTY_TEXT = ("Train a model (or load a checkpoint) to see its network here: every node a small picture of what "
              "it computes, every link coloured by its weight's sign.")


def _compute(source: NetworkSource, facts, image, input_key: tuple, limit: int, drawn: tuple | None):
    """Worker thread: take a weight snapshot and, when it or the input changed since the picture drawn,
    compute every node's picture. Returns (key, facts, input_key, picture or None), or None with no model."""
    weights = source.snapshot()
    if weights is None:
        return None
    key = (weights.version, facts.kind, facts.class_names, facts.extent, id(facts.test_x), input_key, limit)
    if key == drawn:
        return key, facts, input_key, None
    if facts.kind == "points":
        return key, facts, input_key, picture_plane(weights, facts.extent, facts.class_names, limit)
    return key, facts, input_key, picture_image(weights, image, facts.class_names, limit)


class NetworkView(QWidget):
    failed = Signal(str)
    message = Signal(str)

    def __init__(self, source: NetworkSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.source = source
        self.note = QLabel(EMPTY_TEXT)
        self.note.setObjectName("networkNote")
        self.note.setWordWrap(True)
        self.prev_button = button("networkPrevExample", "◀", "The previous test example as the input (Left).")
        self.next_button = button("networkNextExample", "▶", "The next test example as the input (Right).")
        self.random_button = button("networkRandomExample", "Random", "A random test example as the input: watch "
                                     "which hidden units light up for different digits.")
        self.limit = QSpinBox()
        self.limit.setObjectName("networkUnitLimit")
        self.limit.setRange(2, 64)
        self.limit.setValue(UNIT_LIMIT)
        self.limit.setPrefix("units per layer: ")
        self.limit.setToolTip("Layers wider than this show only their most relevant units (largest |activation| "
                              "for the input, or largest outgoing weights without one) and '+N more'. Raise it to "
                              "see more; lower it for a calmer picture.")
        self.export_png_button = button("networkExportPng", "Export PNG…", "Save the diagram as a PNG image.")
        self.export_json_button = button("networkExportJson", "Export view as JSON…", "Save what is drawn (layers, "
                                          "shown units and their values, link count, input) as JSON.")
        controls = QHBoxLayout()
        for w in (self.prev_button, self.next_button, self.random_button, self.limit):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.export_png_button)
        controls.addWidget(self.export_json_button)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("networkDiagram")
        self.graphics.setToolTip("")
        self.box = self.graphics.addViewBox(row=0, col=0, rowspan=2, lockAspect=True, enableMouse=True)
        self.detail = DetailPane(self.graphics.ci, row=0, col=1)
        self.graphics.ci.layout.setColumnStretchFactor(0, 3)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        self.graphics.ci.layout.setRowStretchFactor(0, 1)
        self.graphics.ci.layout.setRowStretchFactor(1, 12)
        self.scene = NetworkScene(self.box)
        self.legend = QLabel(f"Links: {SIGN_LEGEND} weight, thicker = larger |w|. Squares at a node's corner: its "
                             "bias. Node colours use one scale per layer (orange below 0, blue above). Hover anything to read "
                             "it; click a link or bias to edit it.")
        self.legend.setObjectName("networkLegend")
        self.legend.setWordWrap(True)
        self.hover = QLabel("")
        self.hover.setObjectName("networkHover")
        self.hover.setWordWrap(True)
        # room for three lines whatever is hovered: a label growing by a line would shrink the diagram above it
        self.hover.setFixedHeight(self.hover.fontMetrics().lineSpacing() * 3 + 4)
        self.hover.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.edit_target = QLabel("click a link or a bias square to edit it")
        self.edit_target.setObjectName("networkEditTarget")
        self.edit_value = QLineEdit()
        self.edit_value.setObjectName("networkEditValue")
        self.edit_value.setMaximumWidth(140)
        self.edit_value.setEnabled(False)
        self.edit_value.setToolTip("The new value of the selected weight or bias; Enter applies it. Try flipping a "
                                   "sign or setting one to 0 and watch the pictures, the decision boundary and the "
                                   "test accuracy react. Only while no run is going.")
        self.edit_apply = button("networkEditApply", "Set", "Apply the value to the selected weight or bias.")
        self.edit_apply.setEnabled(False)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit_target, 1)
        edit_row.addWidget(self.edit_value)
        edit_row.addWidget(self.edit_apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(controls)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.hover)
        layout.addLayout(edit_row)
        layout.addWidget(self.legend)

        self.runner = JobRunner(self, one_thread=True, name="network pictures")    # one picture at a time; a request while one is computed waits a tick
        self.pictures_drawn = 0
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._example = 0
        self._example_label: int | None = None
        self._drawing: np.ndarray | None = None
        self._drawing_serial = 0
        self._use_drawing = False
        self._drawn: tuple | None = None
        self._selected: Hit | None = None
        self._detail_hit: Hit | None = None
        self._proxy = pg.SignalProxy(self.graphics.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        self.graphics.scene().sigMouseClicked.connect(self._on_click)
        self.prev_button.clicked.connect(lambda: self._step_example(-1))
        self.next_button.clicked.connect(lambda: self._step_example(1))
        self.random_button.clicked.connect(lambda: self._step_example(random.randrange(1, 1 << 30)))
        QShortcut(QKeySequence(Qt.Key_Left), self, lambda: self._step_example(-1), context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key_Right), self, lambda: self._step_example(1), context=Qt.WidgetWithChildrenShortcut)
        self.limit.valueChanged.connect(lambda _v: self.refresh())
        self.edit_value.returnPressed.connect(self.apply_edit)
        self.edit_apply.clicked.connect(self.apply_edit)
        self.export_png_button.clicked.connect(self._export_png_dialog)
        self.export_json_button.clicked.connect(self._export_json_dialog)
        source.on_model_changed(self.model_changed)
        self._follow_palette()
        self._show_controls(None)

    # --- inputs --------------------------------------------------------------------------------------
    def set_drawing(self, image: np.ndarray | None) -> None:
        """The Draw tab's current 28x28 uint8 drawing (None when cleared): a new drawing becomes the input (the
        same drawing shown again, e.g. re-predicted after training, leaves a chosen test example alone)."""
        image = None if image is None else np.asarray(image, dtype=np.uint8)
        if image is not None and self._drawing is not None and np.array_equal(image, self._drawing):
            return
        self._drawing = image
        self._drawing_serial += 1
        self._use_drawing = image is not None
        self.refresh()

    def _step_example(self, delta: int) -> None:
        self._example += delta
        self._use_drawing = False
        self.refresh()

    def _input(self, facts) -> tuple[np.ndarray | None, tuple]:
        if facts.kind != "image":
            return None, ()
        if self._use_drawing and self._drawing is not None:
            return self._drawing, ("drawing", self._drawing_serial)
        found = self.source.test_image(self._example)
        if found is None:
            return None, ("none",)
        image, self._example_label = found
        return image, ("example", self._example % len(facts.test_x))

    # --- refresh ---------------------------------------------------------------------------------------
    def model_changed(self) -> None:
        self._drawn = None
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Ask for a new picture when the tab is visible and something it depends on changed."""
        if not self.isVisible():
            return
        facts = self.source.facts()
        if facts is None:
            if self.scene.picture is not None or self._drawn is None:
                self._drawn = ("empty",)
                self.scene.clear()
                self.detail.clear()
                self.note.setText(EMPTY_TEXT)
                self._show_controls(None)
            return
        if self.runner.busy:
            return
        image, input_key = self._input(facts)
        source, limit, drawn = self.source, self.limit.value(), self._drawn
        self.runner.call(lambda: _compute(source, facts, image, input_key, limit, drawn), self._show, self.failed.emit)

    def _show(self, result: tuple | None) -> None:
        """GUI thread: draw a computed picture (only item placement and setImage calls)."""
        if result is None:
            return
        key, facts, input_key, pic = result
        self._drawn = key
        if pic is None:
            return
        self.scene.draw(pic)
        self.pictures_drawn += 1
        self.detail.picture = pic
        self._show_controls(facts, input_key)
        if self._selected is not None:
            self.scene.mark(self._selected.layer, self._selected.unit)
        hit = self._detail_hit
        if hit is not None and hit.kind == "more":
            self.detail.show_layer(hit.layer)
        elif hit is not None and hit.layer < len(pic.layers):
            self.detail.show_node(hit.layer, hit.unit)
        else:
            self.detail.show_default()

    def _show_controls(self, facts, input_key: tuple = ()) -> None:
        image = facts is not None and facts.kind == "image"
        has_examples = image and facts.test_x is not None
        for b in (self.prev_button, self.next_button, self.random_button):
            b.setVisible(bool(has_examples))
        if facts is None:
            return
        pic = self.scene.picture
        arch = "-".join(str(layer.units) for layer in pic.layers) if pic else ""
        if not image:
            self.note.setText(f"{arch}: every node shows its output over the plane of the data (x1 across, x2 up); "
                              f"the output nodes show where each class wins. Hover a node to see it large.")
        elif input_key and input_key[0] == "drawing":
            self.note.setText(f"{arch}: the input is your drawing from the Draw tab. Hidden nodes are coloured by "
                              f"their activation, outputs by probability.")
        elif input_key and input_key[0] == "example":
            label = facts.class_names[self._example_label] if self._example_label is not None else "?"
            self.note.setText(f"{arch}: the input is test example {input_key[1] + 1:,} of {len(facts.test_x):,} "
                              f"(a '{label}'); ◀ ▶ or Random for another, or draw in the Draw tab.")
        else:
            self.note.setText(f"{arch}: no input yet: draw a digit in the Draw tab. Units are chosen by their "
                              f"outgoing weights.")

    # --- mouse ------------------------------------------------------------------------------------------
    def _hit_at(self, scene_pos) -> Hit | None:
        if self.scene.picture is None or not self.box.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.box.mapSceneToView(scene_pos)
        pixel = self.box.viewPixelSize()[0]
        return self.scene.hit(p.x(), p.y(), pixel)

    def _on_mouse(self, event) -> None:
        hit = self._hit_at(event[0])
        self.hover.setText("" if hit is None else describe(self.scene.picture, hit))
        if hit is not None and hit.kind == "node":
            self._detail_hit = hit
            self.detail.show_node(hit.layer, hit.unit)

    def _on_click(self, event) -> None:
        hit = self._hit_at(event.scenePos())
        if hit is None:
            return
        if hit.kind == "more":
            self._detail_hit = hit
            self.detail.show_layer(hit.layer)
        elif hit.kind in ("link", "bias"):
            self.select(hit)

    # --- editing ------------------------------------------------------------------------------------------
    def select(self, hit: Hit) -> None:
        """Choose the weight or bias the edit box changes."""
        self._selected = hit
        self.edit_target.setText(describe(self.scene.picture, hit).replace(" Click to edit it.", "") + "  new value:")
        self.edit_value.setEnabled(True)
        self.edit_apply.setEnabled(True)
        self.edit_value.setText(f"{hit.value:.4f}")
        self.edit_value.selectAll()
        self.edit_value.setFocus()
        self.scene.mark(hit.layer, hit.unit)

    def apply_edit(self) -> bool:
        hit = self._selected
        if hit is None:
            return False
        text = self.edit_value.text().strip()
        try:
            value = float(text)
            self.source.set_parameter(hit.layer, hit.unit, hit.source, value)
        except ValueError:
            self.failed.emit(f"'{text}' is not a number: type a value such as 0.5 or -1.2")
            return False
        except PlaygroundError as exc:
            self.failed.emit(str(exc))
            return False
        self._selected = Hit(hit.kind, hit.layer, hit.unit, hit.source, value)
        self.refresh()
        return True

    # --- output ----------------------------------------------------------------------------------------------
    def shown(self) -> dict:
        """What is drawn, as a plain dict: layers (input first), links, heatmaps, input_image, version."""
        return shown_dict(self.scene.picture, self.scene.links_drawn, self.scene.heatmaps_drawn)

    def export_png(self, path: str) -> None:
        if not self.graphics.grab().save(path, "PNG"):
            raise PlaygroundError(f"could not write {path}")

    def export_json(self, path: str) -> None:
        try:
            with open(path, "w", encoding="utf-8") as f:
                json.dump(self.shown(), f, indent=1)
        except OSError as exc:
            raise PlaygroundError(f"could not write {path}: {exc.strerror or exc}") from exc

    def _export_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export network view", "network.png", "PNG image (*.png)")
        self._export(path, self.export_png)

    def _export_json_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export view as JSON", "network.json", "JSON (*.json)")
        self._export(path, self.export_json)

    def _export(self, path: str, write) -> None:
        if not path:
            return
        try:
            write(path)
        except PlaygroundError as exc:
            self.failed.emit(str(exc))
        else:
            self.message.emit(f"saved {path}")

    # --- theme --------------------------------------------------------------------------------------------------
    def _follow_palette(self) -> None:
        """Background and label colours of the current theme (View > Theme); the link and node colours read
        on both."""
        colours = theme.current()
        self.graphics.setBackground(colours.background)
        self.detail.text_colour = colours.text
        self.scene.text_colour = QColor(colours.text)
        self.scene.set_background(QColor(colours.background))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.detail.set_width(self.width() // 4)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._follow_palette()
            self._drawn = None

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Stop refreshing and join a picture being computed (closing the window); after timeout_ms it is let
        go (see JobRunner.shutdown)."""
        self.timer.stop()
        return self.runner.shutdown(timeout_ms)
