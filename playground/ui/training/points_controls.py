"""The data controls learners know from the best-known playground: noise, the share of points used for
training, Regenerate, and the input-feature toggles; plus the label column and task of your own table.

The widget holds no state of its own beyond what it shows: `set_config` fills it, `changes()` reads it back
as config fields, and `changed` says that the user edited something.
"""
from __future__ import annotations

from typing import Any

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from playground.engine.config import TrainConfig
from playground.engine.data_options import (IMAGE_FITS, MAX_DATA_SEED, NOISE_RANGE, TASKS, TRAIN_FRACTION_RANGE,
                                   is_data_source, source_path)
from playground.engine.datasets import DATASETS
from playground.engine.features import FEATURES

TIPS = {
    "noise": "How much the 2-D points scatter around their pattern (0-50 %). With more noise the classes "
             "overlap: a network that still reaches 100 % training accuracy is memorising the noise. Try 0 % "
             "and 40 % with the same network and compare the test curve.",
    "train_share": "The share of the samples the network trains on; the rest is the test split it is measured "
                   "on. Try 10 %: with few training points a big network overfits, and the gap between the "
                   "train and test curves shows it.",
    "regenerate": "Draw a new set of points (or a new train/test split of your table) from a new data seed, "
                  "keeping the network's seed: does the result depend on the luck of the data?",
    "features": "The network's inputs. Besides the coordinates x₁ and x₂ you can hand it ready-made features. "
                "Try XOR with only x₁x₂ and no hidden layer: one neuron solves it. Try circles with x₁² and x₂². "
                "The decision boundary is always drawn over the original plane.",
    "label_column": "Your table: the column that holds the label, by name (from the header row) or by index "
                    "(0 is the first column, -1 the last). Empty: the last column.",
    "task": "Your table: classification when the labels are words or a few whole numbers (auto decides so), "
            "regression for a continuous target (the network predicts a value; R² and RMSE replace accuracy).",
    "image_fit": "Your images: 'digit' crops each image to its ink, fits it in 20x20 and centres it by mass in "
                 "28x28, exactly as drawings (and MNIST's digits) are; 'resize' simply scales the whole image to "
                 "28x28. Try both: centring helps when the objects sit anywhere in the picture.",
}
FIT_LABELS = {"digit": "fit like a drawing", "resize": "resize to 28x28"}


def add_source_item(combo: QComboBox, name: str) -> None:
    """Put 'csv:FILE' / 'folder:DIR' in a dataset combo (once) so it can be selected."""
    if not is_data_source(name) or combo.findData(name) >= 0:
        return
    kind = "table" if name.startswith("csv:") else "images"
    combo.addItem(f"Your {kind}: {Path(source_path(name)).name}", name)
    combo.setItemData(combo.count() - 1, source_path(name), Qt.ToolTipRole)


def data_kind(name: str, own_shape: tuple[str, str, int, int] | None = None) -> str:
    """'image', 'points' or 'table': which data controls apply to a dataset; `own_shape` is (name, kind,
    inputs, outputs) of your own data once it has been read."""
    entry = DATASETS.get(name)
    if entry is not None:
        return entry.kind
    if str(name).startswith("folder:"):
        return "image"
    if own_shape and own_shape[0] == name:
        return own_shape[1]
    return "table"


class PointsControls(QGroupBox):
    """Noise, train share, Regenerate and feature toggles (2-D sets), label column and task (own tables)."""
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Points and tables", parent)
        self.setObjectName("pointsControls")
        self._fraction = TRAIN_FRACTION_RANGE[0]
        self._data_seed = 0
        self._updating = False
        self.noise = QSpinBox()
        self.noise.setObjectName("noiseSpin")
        self.noise.setRange(int(NOISE_RANGE[0] * 100), int(NOISE_RANGE[1] * 100))
        self.noise.setSuffix(" %")
        self.noise.setToolTip(TIPS["noise"])
        self.train_share = QSpinBox()
        self.train_share.setObjectName("trainShareSpin")
        self.train_share.setRange(int(TRAIN_FRACTION_RANGE[0] * 100), int(TRAIN_FRACTION_RANGE[1] * 100))
        self.train_share.setSingleStep(5)
        self.train_share.setSuffix(" % train")
        self.train_share.setToolTip(TIPS["train_share"])
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setObjectName("regenerateButton")
        self.regenerate.setToolTip(TIPS["regenerate"])
        self.regenerate.clicked.connect(self._regenerate)
        self.feature_checks: dict[str, QCheckBox] = {}
        features = QWidget()
        grid = QGridLayout(features)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (name, feature) in enumerate(FEATURES.items()):
            check = QCheckBox(feature.label)
            check.setObjectName(f"featureCheck_{name}")
            check.setToolTip(f"{feature.tooltip}\n\n{TIPS['features']}")
            check.toggled.connect(self._edited)
            self.feature_checks[name] = check
            grid.addWidget(check, i // 4, i % 4)
        features.setToolTip(TIPS["features"])
        self.label_column = QLineEdit()
        self.label_column.setObjectName("labelColumnEdit")
        self.label_column.setPlaceholderText("last column")
        self.label_column.setToolTip(TIPS["label_column"])
        self.label_column.editingFinished.connect(self._edited)
        self.task = QComboBox()
        self.task.setObjectName("taskCombo")
        for task in TASKS:
            self.task.addItem(task, task)
        self.task.setToolTip(TIPS["task"])
        self.task.currentIndexChanged.connect(self._edited)
        self.image_fit = QComboBox()
        self.image_fit.setObjectName("imageFitCombo")
        for fit in IMAGE_FITS:
            self.image_fit.addItem(FIT_LABELS[fit], fit)
        self.image_fit.setToolTip(TIPS["image_fit"])
        self.image_fit.currentIndexChanged.connect(self._edited)

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.noise)
        row.addWidget(self.train_share)
        form.addRow("noise", row)
        form.addRow(self.regenerate)
        self._features_label = QLabel("inputs")
        form.addRow(self._features_label, features)
        self._features = features
        self._label_label = QLabel("label column")
        form.addRow(self._label_label, self.label_column)
        self._task_label = QLabel("task")
        form.addRow(self._task_label, self.task)
        self._fit_label = QLabel("images")
        form.addRow(self._fit_label, self.image_fit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for spin in (self.noise, self.train_share):
            spin.valueChanged.connect(self._edited)

    # --- config <-> widgets ------------------------------------------------------------------
    def set_config(self, config: TrainConfig, kind: str = "points") -> None:
        """Show the config's data fields; `kind` is 'points' (a 2-D set), 'table' (csv) or 'image'."""
        self._updating = True
        try:
            self.noise.setValue(round(config.noise * 100))
            self._fraction = config.train_fraction
            self.train_share.setValue(round(config.train_fraction * 100))
            self._data_seed = config.data_seed
            for name, check in self.feature_checks.items():
                check.setChecked(name in config.features)
            self.label_column.setText(config.label_column or "")
            self.task.setCurrentIndex(max(self.task.findData(config.task), 0))
            self.image_fit.setCurrentIndex(max(self.image_fit.findData(config.image_fit), 0))
        finally:
            self._updating = False
        self.show_for(config.dataset, kind)

    def show_for(self, dataset: str, kind: str) -> None:
        """Only the controls that mean something for this dataset are shown."""
        own_table = dataset.startswith("csv:")
        own = own_table or dataset.startswith("folder:")
        two_d = kind == "points"
        self.setVisible(two_d or own)
        self.noise.setEnabled(not own)
        self.noise.setVisible(not own)
        self._features.setVisible(two_d)
        self._features_label.setVisible(two_d)
        for w in (self.label_column, self._label_label, self.task, self._task_label):
            w.setVisible(own_table)
        for w in (self.image_fit, self._fit_label):
            w.setVisible(own and not own_table)

    def changes(self) -> dict[str, Any]:
        """The shown values as TrainConfig fields."""
        share = self.train_share.value()
        fraction = self._fraction if share == round(self._fraction * 100) else share / 100
        features = tuple(n for n, c in self.feature_checks.items() if c.isChecked())
        label = self.label_column.text().strip() or None
        return {"noise": self.noise.value() / 100, "train_fraction": fraction, "data_seed": self._data_seed,
                "features": features, "label_column": label, "task": self.task.currentData(),
                "image_fit": self.image_fit.currentData()}

    def _regenerate(self) -> None:
        self._data_seed = self._data_seed % MAX_DATA_SEED + 1
        self._edited()

    def _edited(self, *_args) -> None:
        if not self._updating:
            self.changed.emit()
