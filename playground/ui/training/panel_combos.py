"""The config panel's combo boxes: one item per registry or catalog entry, with the entry's tooltip on hover."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

from playground.engine.datasets import DATASETS
from playground.engine.devices import cuda_devices, cuda_unavailable_reason


def combo(name: str, items: list[tuple[str, str]], tip: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for data, label in items:
        box.addItem(label, data)
    box.setToolTip(tip)
    return box


def registry_combo(name: str, entries: dict, tip: str, first: list[tuple[str, str, str]] = ()) -> QComboBox:
    """A combo with one item per registry entry (its label, and its tooltip on hover)."""
    rows = [*first, *((key, e.label, e.tooltip) for key, e in entries.items())]
    box = combo(name, [(key, label) for key, label, _ in rows], tip)
    for i, (_key, _label, item_tip) in enumerate(rows):
        box.setItemData(i, item_tip, Qt.ToolTipRole)
    return box


def select(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


def class_limits() -> tuple[int, int]:
    ranges = [d.class_range for d in DATASETS.values() if d.class_range]
    return (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else (2, 2)


def device_combo(tip: str) -> QComboBox:
    """Auto, CPU and each CUDA device; without CUDA, a disabled item that says why."""
    box = combo("deviceCombo", [("auto", "Auto"), ("cpu", "CPU")], tip)
    devices = cuda_devices()
    for name, label in devices:
        box.addItem(label, name)
    if not devices:
        box.addItem("CUDA (unavailable)", "cuda")
        index = box.count() - 1
        model = box.model()
        if isinstance(model, QStandardItemModel):
            model.item(index).setEnabled(False)
        box.setItemData(index, f"Not available: {cuda_unavailable_reason()}.", Qt.ToolTipRole)
    return box
