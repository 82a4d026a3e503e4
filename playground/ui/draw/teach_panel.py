"""'Teach it your handwriting': add the current drawing to my digits with a label, and fine-tune on them.

The panel only collects clicks and shows counts and progress: the store (engine.my_digits) keeps the set,
the session runs the engine's fine-tune generator on its worker thread; its records reach this panel as the
application model's `fine_tune` event.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from playground.engine.app_model import AppModel
from playground.engine.datasets.my_digits import check_teachable
from playground.engine.errors import PlaygroundError
from playground.engine.train.fine_tune import FineTuneEnd, FineTuneProgress, FineTuneStart
from playground.engine.train.records import Status
from playground.engine.drawing.my_digits import N_CLASSES, MyDigitsStore, Strokes


class Drawing(NamedTuple):
    strokes: Strokes
    image: np.ndarray          # (28, 28) uint8, what the network sees
    predicted: str | None      # what the network read it as, None without a digit model


def canvas_strokes(canvas) -> Strokes:
    """The canvas's stroke vectors (x, y in canvas pixels), as my digits stores them."""
    return [[(float(x), float(y)) for x, y in s] for s in canvas.strokes()]


TEACH_TIP = ("Add the drawing on the canvas (or the image you loaded) to my digits as a {d}, whatever the "
             "network read it as. Teach "
             "the digits it gets wrong, and a few of each digit: 3 per digit is enough to start. The count "
             "below is how many {d}s you have taught.")
FINE_TUNE_TIP = ("Fine-tune the current model on my digits: a short run (a few seconds) whose batches are half "
                 "your drawings, randomly shifted and rotated, and half the model's own training images, so "
                 "it learns your handwriting without forgetting everyone else's. Then draw new digits and "
                 "compare; Reset or Train from scratch to get the untuned model back.")
BROWSE_TIP = "Browse my digits: see every drawing you taught, delete wrong ones, export them as PNG or IDX files."


class TeachPanel(QGroupBox):
    taught = Signal(int)      # a drawing was added with this label
    tuned = Signal()          # the model has new weights: predictions should be refreshed

    def __init__(self, model: AppModel, session, drawing: Callable[[], Drawing | None], store: MyDigitsStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Teach it your handwriting", parent)
        self.setObjectName("teachPanel")
        self.model = model
        self.session = session      # for job state: fine-tune runs as one of its jobs
        self.store = store if store is not None else MyDigitsStore()
        self._drawing = drawing
        self._tuning = False
        self._measuring = False   # tuned; the job still measures the tuned model on the test split
        self.teach_buttons: list[QPushButton] = []
        self.count_labels: list[QLabel] = []
        grid = QGridLayout()
        grid.setHorizontalSpacing(2)
        for d in range(N_CLASSES):
            button = QPushButton(str(d))
            button.setObjectName(f"teachDigit{d}")
            button.setToolTip(TEACH_TIP.format(d=d))
            button.setFixedWidth(30)
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _=False, digit=d: self.teach(digit))
            count = QLabel("0")
            count.setObjectName(f"teachCount{d}")
            count.setAlignment(Qt.AlignCenter)
            count.setToolTip(f"How many {d}s my digits holds.")
            grid.addWidget(button, 0, d)
            grid.addWidget(count, 1, d)
            self.teach_buttons.append(button)
            self.count_labels.append(count)
        self.fine_tune_button = QPushButton("Fine-tune on my digits")
        self.fine_tune_button.setObjectName("fineTuneButton")
        self.fine_tune_button.setToolTip(FINE_TUNE_TIP)
        self.fine_tune_button.clicked.connect(self.fine_tune)
        self.browse_button = QPushButton("My digits…")
        self.browse_button.setObjectName("myDigitsButton")
        self.browse_button.setToolTip(BROWSE_TIP)
        self.browse_button.clicked.connect(self.browse)
        self.progress = QProgressBar()
        self.progress.setObjectName("fineTuneProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.progress.setToolTip("Progress of the fine-tuning run.")
        self.message = QLabel("")
        self.message.setObjectName("teachMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.fine_tune_button)
        row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Draw a digit, then press its number to add it to my digits:"))
        layout.addLayout(grid)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self._browser = None
        model.events.fine_tune.connect(self._on_fine_tune)
        model.events.status.connect(self._on_status)
        session.failed.connect(self._on_failed)
        session.state_changed.connect(self._on_state)
        self._on_state(session.state)
        self.refresh_counts()
        problems = self.store.problems
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.message.setText("; ".join(problems[:3]) + more)

    # --- teaching ------------------------------------------------------------------------------
    def refresh_counts(self) -> None:
        for label, n in zip(self.count_labels, self.store.counts()):
            label.setText(str(n))

    def teach(self, digit: int) -> bool:
        drawing = self._drawing()
        if drawing is None:
            self.message.setText("Draw a digit on the canvas (or load an image of one) first, then press its number.")
            return False
        try:
            self.store.add(drawing.image, digit, drawing.strokes)
        except PlaygroundError as exc:
            self.message.setText(str(exc))
            return False
        self.refresh_counts()
        n = self.store.counts()[digit]
        read = "" if drawing.predicted in (None, str(digit)) else f" The network read it as {drawing.predicted}."
        self.message.setText(f"Added as a {digit} ({n} taught).{read}")
        if self._browser is not None:
            self._browser.refresh()
        self.taught.emit(digit)
        return True

    # --- fine-tuning ---------------------------------------------------------------------------
    def fine_tune(self) -> bool:
        images, labels = self.store.arrays()
        try:
            check_teachable(labels)
        except PlaygroundError as exc:
            self.message.setText(str(exc))
            return False
        if self.model.trainer is None and self.model.loaded is None:
            self.message.setText("There is no model to fine-tune yet: train on the built-in digits or MNIST "
                                 "first (or load a checkpoint).")
            return False
        if not self.session.fine_tune(images, labels):
            self.message.setText("Wait for the current job to end, then fine-tune.")
            return False
        self._tuning = True
        self.progress.setValue(0)
        self.progress.setFormat("starting…")
        self.message.setText(f"Fine-tuning on {len(labels)} drawings…")
        return True

    def _on_fine_tune(self, record) -> None:
        if isinstance(record, FineTuneStart):
            self.message.setText(f"Fine-tuning on {record.drawings} drawings; before it reads "
                                 f"{record.mine_accuracy:.0%} of them right…")
        elif isinstance(record, FineTuneProgress):
            self.progress.setValue(int(1000 * record.fraction))
            self.progress.setFormat(f"step {record.step}/{record.steps} · loss {record.loss:.3f}")
        elif isinstance(record, FineTuneEnd):
            self._tuning = False
            self.progress.setValue(1000 if record.status == "finished" else self.progress.value())
            self.progress.setFormat(record.status)
            self.message.setText(record.message[0].upper() + record.message[1:] + ".")
            if record.status == "finished":
                self.tuned.emit()
                self._measuring = True

    def _on_status(self, record: Status) -> None:
        if self._measuring:   # the job goes on measuring the tuned model on the test split (the Mistakes tab)
            self.progress.setFormat(record.text)

    def _on_failed(self, message: str) -> None:
        if self._tuning:
            self._tuning = False
            self.progress.setFormat("failed")
            self.message.setText(message)

    def _on_state(self, state: str) -> None:
        self.fine_tune_button.setEnabled(state == "idle")
        if state == "idle" and self._measuring:
            self._measuring = False
            self.progress.setFormat("finished")
        if state == "idle" and self._tuning:      # the job ended without an end record (a failure)
            self._tuning = False

    # --- the set -------------------------------------------------------------------------------
    def browse(self) -> None:
        from playground.ui.draw.my_digits_browser import MyDigitsBrowser
        if self._browser is None:
            self._browser = MyDigitsBrowser(self.store, self)
            self._browser.changed.connect(self.refresh_counts)
        self._browser.refresh()
        self._browser.show()
        self._browser.raise_()
