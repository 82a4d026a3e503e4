"""The Draw tab: draw a digit (or load an image) and see what the network reads, live."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget)

from playground.engine.app_model import AppModel
from playground.engine.drawing.drawings import load_drawing
from playground.engine.errors import PlaygroundError
from playground.engine.drawing.preprocess import preprocess_drawing
from playground.engine.drawing.stroke_render import render_drawing
from playground.ui.draw.digit_canvas import DigitCanvas
from playground.ui import theme
from playground.ui.images import gray_pixmap
from playground.ui.draw.teach_panel import Drawing, TeachPanel, canvas_strokes
from playground.ui.network.network_source import NetworkSource
from playground.ui.draw.saliency_view import SaliencyView

LIVE_INTERVAL_MS = 60


class DrawTab(QWidget):
    drawn = Signal(object)   # the 28x28 uint8 image the network sees, or None when cleared

    def __init__(self, model: AppModel, parent: QWidget | None = None, session=None, store=None) -> None:
        super().__init__(parent)
        self.setObjectName("drawTab")
        self.model = model
        self.canvas = DigitCanvas()
        self.clear_button = QPushButton("Clear (Esc)")
        self.clear_button.setObjectName("clearCanvasButton")
        self.clear_button.setToolTip("Erase the canvas.")
        self.undo_button = QPushButton("Undo stroke")
        self.undo_button.setObjectName("undoStrokeButton")
        self.undo_button.setToolTip("Remove the last stroke.")
        self.load_button = QPushButton("Load image…")
        self.load_button.setObjectName("loadImageButton")
        self.load_button.setToolTip("Read a PNG or JPG of a digit through the same preprocessing. Dark ink on a "
                                    "light background is inverted automatically.")
        self.pen = QSlider(Qt.Horizontal)
        self.pen.setObjectName("penWidthSlider")
        self.pen.setRange(6, 40)
        self.pen.setValue(18)
        self.pen.setToolTip("Pen width on the canvas. The network reads your strokes redrawn at its own "
                            "scale with an MNIST-like pen, so neither this width nor the size you draw at "
                            "changes what it sees.")
        self.pen.valueChanged.connect(lambda v: setattr(self.canvas, "pen_width", float(v)))
        self.seen = QLabel()
        self.seen.setObjectName("networkInput")
        self.seen.setFixedSize(140, 140)
        self.seen.setToolTip("The 28x28 image the network actually sees: cropped to the ink, longer side scaled "
                             "to 20 px, centred by centre of mass.")
        self.seen.setStyleSheet("background: black; border: 1px solid #555;")
        self.predicted = QLabel("")
        self.predicted.setObjectName("predictedDigit")
        self.predicted.setAlignment(Qt.AlignCenter)
        self.predicted.setStyleSheet("font-size: 56px; font-weight: bold;")
        self.confidence = QLabel("")
        self.confidence.setObjectName("predictionConfidence")
        self.message = QLabel("")
        self.message.setObjectName("drawMessage")
        self.message.setWordWrap(True)
        self.bars_plot = pg.PlotWidget(background=theme.plot_background())
        self.bars_plot.setObjectName("probabilityPlot")
        self.bars_plot.setYRange(0, 1)
        self.bars_plot.setMouseEnabled(False, False)
        self.bars_plot.setLabel("left", "probability")
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=(31, 119, 180))
        self.bars_plot.addItem(self.bars)
        self._class_names: list[str] = [str(i) for i in range(10)]
        # the last 28x28 and what it was read as; with an empty canvas, that of a loaded image (a clear resets it)
        self._shown: tuple[np.ndarray, str | None] | None = None
        # teaching needs the session's job runner for fine-tuning; a Draw tab alone can still draw and predict
        self.teach = TeachPanel(model, session, self.current_drawing, store) if session is not None else None

        buttons = QHBoxLayout()
        for b in (self.clear_button, self.undo_button, self.load_button):
            buttons.addWidget(b)
        pen_row = QHBoxLayout()
        pen_row.addWidget(QLabel("pen"))
        pen_row.addWidget(self.pen)
        left = QVBoxLayout()
        left.addWidget(self.canvas)
        left.addLayout(buttons)
        left.addLayout(pen_row)
        if self.teach is not None:
            left.addWidget(self.teach)
        left.addStretch(1)
        middle = QVBoxLayout()
        middle.addWidget(QLabel("what the network sees"))
        middle.addWidget(self.seen)
        middle.addWidget(QLabel("prediction"))
        middle.addWidget(self.predicted)
        middle.addWidget(self.confidence)
        middle.addWidget(self.message)
        middle.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(middle)
        right = QVBoxLayout()
        right.addWidget(self.bars_plot, 1)
        self.saliency = SaliencyView(NetworkSource(model))
        right.addWidget(self.saliency)
        layout.addLayout(right, 1)
        self.bars_plot.setMaximumWidth(560)
        layout.addStretch(0)

        self.live = QTimer(self)
        self.live.setSingleShot(True)
        self.live.setInterval(LIVE_INTERVAL_MS)
        self.live.timeout.connect(self.predict)
        self.canvas.changed.connect(lambda: self.live.isActive() or self.live.start())
        self.canvas.stroke_finished.connect(self.predict)
        self.canvas.cleared.connect(self._on_cleared)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.load_button.clicked.connect(self._load_dialog)
        model.events.model_changed.connect(lambda facts: self.model_changed())
        if self.teach is not None:
            self.teach.taught.connect(lambda _digit: self.canvas.clear())   # ready for the next drawing
            self.teach.tuned.connect(self.predict)
        self.model_changed()

    # --- model state ---------------------------------------------------------------------------
    def _model_info(self) -> tuple[str, list[str]] | None:
        facts = self.model.facts
        return None if facts is None else (facts.kind, list(facts.class_names))

    def model_changed(self) -> None:
        info = self._model_info()
        if info is None:
            self.canvas.hint = "No model yet: press Train (the built-in digits work offline) or load a checkpoint, then draw a digit here."
        elif info[0] != "image":
            self.canvas.hint = "The current model reads 2-D points, not images: train on the built-in digits or MNIST to draw."
        else:
            self.canvas.hint = "Draw a digit"
            self._class_names = list(info[1])
            self.bars_plot.getAxis("bottom").setTicks([list(enumerate(self._class_names))])
        self.canvas.update()
        if not self.canvas.is_empty():
            self.predict()
        elif self._shown is not None:     # a loaded image
            self.show_digit(torch.from_numpy(self._shown[0]))

    # --- prediction ----------------------------------------------------------------------------
    def predict(self) -> None:
        if self.canvas.is_empty():
            return
        # the stroke vectors, redrawn at the normalised scale: independent of drawing size and pen width
        self.show_digit(render_drawing(self.canvas.strokes()))

    def show_prediction(self, image: np.ndarray) -> None:
        self.show_digit(preprocess_drawing(image))

    def show_digit(self, digit: torch.Tensor) -> None:
        self._show_input(digit)
        self._shown = (digit.numpy(), None)
        self.drawn.emit(digit.numpy())
        info = self._model_info()
        if info is None or info[0] != "image":
            self.predicted.setText("")
            self.message.setText(self.canvas.hint)
            return
        probs = self.model.predict_proba(digit[None])   # from a weight snapshot, never the live model
        if probs is None:
            return
        p = probs[0].numpy()
        best = int(p.argmax())
        self.predicted.setText(self._class_names[best])
        self._shown = (self._shown[0], self._class_names[best])
        self.confidence.setText(f"{p[best]:.0%} sure")
        self.message.setText("")
        self.bars.setOpts(height=p, brushes=[(214, 39, 40) if i == best else (31, 119, 180) for i in range(len(p))])
        self.saliency.set_input(digit.numpy(), self._class_names)

    def _show_input(self, digit: torch.Tensor) -> None:
        self.seen.setPixmap(gray_pixmap(digit.numpy(), 140))

    def current_drawing(self) -> Drawing | None:
        """The canvas's drawing for the teach panel: strokes, the 28x28 the network sees, what it read."""
        if self.canvas.is_empty():
            if self._shown is None:
                return None
            image, predicted = self._shown
            return Drawing([], image, predicted)      # a loaded image: its 28x28, no strokes
        self.live.stop()
        self.predict()          # the 28x28 of the whole drawing, even if the live update is pending
        image, predicted = self._shown
        return Drawing(canvas_strokes(self.canvas), image, predicted)

    def _on_cleared(self) -> None:
        self.live.stop()
        self._shown = None
        self.predicted.setText("")
        self.confidence.setText("")
        self.seen.clear()
        self.drawn.emit(None)
        self.saliency.set_input(None, self._class_names)
        self.bars.setOpts(height=np.zeros(len(self._class_names)))

    # --- images --------------------------------------------------------------------------------
    def load_image(self, path: str) -> bool:
        try:
            image = load_drawing(path)
        except PlaygroundError as exc:
            self.message.setText(str(exc))
            return False
        self.canvas.clear()
        self.show_prediction(image)
        self.message.setText(f"read {Path(path).name}")
        return True

    def _load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a digit image", "", "Images (*.png *.jpg *.jpeg *.bmp)")
        if path:
            self.load_image(path)
