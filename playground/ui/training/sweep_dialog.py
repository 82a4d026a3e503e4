"""The sweep dialog: which setting to try at several values, and the values (a preset, or typed)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.sweep import Sweep
from playground.engine.train.sweep_params import PARAMS, parse_values
from playground.engine.train.sweep_presets import LABELS, TIPS, presets

CUSTOM = "your own values"


class SweepDialog(QDialog):
    """Start is enabled while the values make a sweep; `choice()` is then (param, values)."""

    def __init__(self, base: TrainConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle("Sweep a setting")
        self.base = base
        self._filling = False
        self._values: list[Any] = []
        intro = QLabel("Train one network per value, all with the current settings but this one. Settings that "
                       "do not change the network's shape train together, as one stack; the others one after "
                       "another. Each value becomes a run in the runs table, and the sweep plot shows what each "
                       "value gave.")
        intro.setWordWrap(True)
        self.param = QComboBox()
        self.param.setObjectName("sweepParamCombo")
        for name, p in PARAMS.items():
            together = "" if p.batched else " (one after another)"
            self.param.addItem(LABELS.get(name, name) + together, name)
            self.param.setItemData(self.param.count() - 1, TIPS.get(name, ""), Qt.ToolTipRole)
        self.param.setToolTip("The setting to vary. The first ones (learning rate … augmentation) train together "
                              "in one batched pass; those marked 'one after another' change the network's shape "
                              "or code, so each value trains in turn.")
        self.preset = QComboBox()
        self.preset.setObjectName("sweepPresetCombo")
        self.preset.setToolTip("Ready-made values for this setting. Pick one, then edit the values below if you "
                               "like.")
        self.values = QLineEdit()
        self.values.setObjectName("sweepValuesEdit")
        self.values.setToolTip("The values, separated by commas: 1e-4,1e-3,1e-2. For values that are lists "
                               "themselves (hidden layers, per-layer dropout) separate them with ';': 64;128,64. "
                               "Try a few first: every value is a whole network to train.")
        self.summary = QLabel()
        self.summary.setObjectName("sweepSummaryLabel")
        self.summary.setWordWrap(True)
        self.summary.setToolTip("How many networks this sweep trains, and how.")
        form = QFormLayout()
        form.addRow("setting", self.param)
        form.addRow("preset", self.preset)
        form.addRow("values", self.values)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.start = self.buttons.button(QDialogButtonBox.Ok)
        self.start.setText("Start")
        self.start.setObjectName("sweepStartButton")
        self.start.setToolTip("Train every value as one job. Pause and Stop in the toolbar act on the sweep.")
        cancel = self.buttons.button(QDialogButtonBox.Cancel)
        cancel.setObjectName("sweepCancelButton")
        cancel.setToolTip("Close without training.")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(580)
        self.param.currentIndexChanged.connect(self._on_param)
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.values.textChanged.connect(self._check)
        self._on_param()
        self.adjustSize()

    # --- choices -----------------------------------------------------------------------------
    def set_param(self, name: str) -> None:
        self.param.setCurrentIndex(self.param.findData(name))

    def choose_preset(self, label: str) -> None:
        self.preset.setCurrentIndex(self.preset.findText(label))

    def choice(self) -> tuple[str, list[Any]]:
        return self.param.currentData(), list(self._values)

    def _on_param(self) -> None:
        self._filling = True
        self.preset.clear()
        for preset in presets(self.param.currentData(), self.base):
            self.preset.addItem(preset.label, preset.text)
        self.preset.addItem(CUSTOM, None)
        self._filling = False
        self.preset.setCurrentIndex(0)
        self._on_preset()

    def _on_preset(self) -> None:
        text = self.preset.currentData()
        if self._filling:
            return
        if text is not None:
            self.values.setText(text)   # typing afterwards keeps the preset's name: it says where they came from
        self._check()

    def _check(self) -> None:
        param = self.param.currentData()
        try:
            values = parse_values(param, self.values.text())
            plan = Sweep(self.base, param, values)
        except PlaygroundError as exc:
            self._values = []
            self.summary.setText(f"⚠ {str(exc).replace('--values', 'values')}")
            self.start.setEnabled(False)
            return
        self._values = values
        together = len(plan.groups) == 1 and len(values) > 1
        how = ("trained together as one stack" if together else
               f"in {len(plan.groups)} group(s) one after another")
        self.summary.setText(f"{len(values)} networks of {self.base.dataset}, {self.base.epochs} epoch(s) each, "
                             f"{how}.")
        self.start.setEnabled(True)
