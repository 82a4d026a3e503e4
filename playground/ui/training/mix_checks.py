"""The Data box's two mix-ins: my digits (taught in the Draw tab) and real pen digits (into MNIST)."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from playground.engine.config import MIXABLE_DATASETS, TrainConfig
from playground.engine.datasets.pen_mix import PEN_MIXABLE
from playground.ui.tooltips import TIPS


class MixChecks:
    """Two check boxes that turn into the config's mix_my_digits and mix_pen_digits."""

    def __init__(self) -> None:
        self.my = QCheckBox("mix in my digits")
        self.my.setObjectName("mixMyDigitsCheck")
        self.my.setToolTip(TIPS["mix_my_digits"])
        self.pen = QCheckBox("mix in real pen digits")
        self.pen.setObjectName("mixPenDigitsCheck")
        self.pen.setToolTip(TIPS["mix_pen_digits"])

    @property
    def checks(self) -> tuple[QCheckBox, QCheckBox]:
        return self.my, self.pen

    def set_config(self, config: TrainConfig) -> None:
        self.my.setChecked(config.mix_my_digits)
        self.pen.setChecked(config.mix_pen_digits)

    def changes(self, dataset: str) -> dict[str, bool]:
        """The config fields for `dataset` (a box that does not apply to it counts as unticked)."""
        return {"mix_my_digits": self.my.isChecked() and dataset in MIXABLE_DATASETS,
                "mix_pen_digits": self.pen.isChecked() and dataset in PEN_MIXABLE}

    def refresh(self, dataset: str) -> None:
        self.my.setEnabled(dataset in MIXABLE_DATASETS)
        self.pen.setVisible(dataset in PEN_MIXABLE)
