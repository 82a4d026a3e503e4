"""The configuration panel: widgets in, one validated TrainConfig out."""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from playground.engine.config import (LR_RANGE, MAX_BATCH_SIZE, MAX_EPOCHS, MAX_MOMENTUM, MAX_SEED, MAX_WEIGHT_DECAY,
                              TrainConfig, follow_default)
from playground.engine.data_options import is_data_source, source_path
from playground.engine.datasets import DATASETS
from playground.engine.errors import PlaygroundError
from playground.engine.presets import PRESETS
from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS
from playground.engine.sizing import size_report
from playground.ui.wheel_guard import guard_controls
from playground.ui.training.hidden_layers import HiddenLayersEditor
from playground.ui.training.log_spin_box import LogSpinBox
from playground.ui.training.mix_checks import MixChecks
from playground.ui.training.table_defaults import TableDefaultsNote
from playground.ui.training.points_controls import PointsControls, add_source_item, data_kind
from playground.ui.tooltips import TIPS
from playground.ui.training.panel_combos import (class_limits as _class_limits, combo as _combo,
                                                registry_combo as _registry_combo, select as _select,
                                                device_combo as _device_combo)

# fields whose widgets hold floats: compared with a tolerance when checking that a config is shown exactly
_FLOAT_FIELDS = ("lr", "momentum", "weight_decay")


class ConfigPanel(QWidget):
    config_changed = Signal(object)   # a valid TrainConfig
    config_invalid = Signal(str)
    download_requested = Signal(str)
    find_lr_requested = Signal(object)   # the current TrainConfig: the main window opens the finder

    def __init__(self, config: TrainConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configPanel")
        self._config = config
        self._updating = False
        # (dataset name, kind, inputs, outputs) of your own data once it has been read
        self._own_shape: tuple[str, str, int, int] | None = None
        self.preset = QComboBox()
        self.preset.setObjectName("presetCombo")
        self.preset.addItem("Choose a tutorial experiment…", None)
        # long preset names must not widen the whole panel
        self.preset.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(24)
        for i, preset in enumerate(PRESETS):
            self.preset.addItem(preset.name, i)
            self.preset.setItemData(i + 1, preset.source, Qt.ToolTipRole)
        self.preset.setToolTip("One click sets up an experiment from the tutorials this playground follows; "
                               "the note below says where it comes from and what to look for.")
        self.preset_note = QLabel()
        self.preset_note.setObjectName("presetNote")
        self.preset_note.setWordWrap(True)
        self.preset_note.hide()
        self.preset.activated.connect(self._apply_preset)
        self.dataset = _registry_combo("datasetCombo", DATASETS, TIPS["dataset"])
        self.dataset.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)   # fits beside Download
        self.dataset.setMinimumContentsLength(14)
        self.download = QPushButton("Download")
        self.download.setObjectName("downloadButton")
        self.download.setToolTip(TIPS["download"])
        self.download.clicked.connect(lambda: self.download_requested.emit(self.dataset.currentData()))
        self.data_note = QLabel()
        self.data_note.setObjectName("dataNote")
        self.data_note.setWordWrap(True)
        self.classes = QSpinBox()
        self.classes.setObjectName("classesSpin")
        self.classes.setRange(*_class_limits())
        self.classes.setToolTip(TIPS["classes"])
        self.points = PointsControls()
        self.hidden = HiddenLayersEditor()
        self.activation = _registry_combo("activationCombo", ACTIVATIONS, TIPS["activation"])
        self.output_activation = _registry_combo(
            "outputActivationCombo", ACTIVATIONS, TIPS["output_activation"],
            first=[("none", "none (logits)", "No activation: the loss gets the raw scores (logits), the right "
                    "choice.")])
        self.init = _registry_combo("initCombo", INITS, TIPS["init"])
        self.weight_decay = LogSpinBox(1e-6, MAX_WEIGHT_DECAY, allow_zero=True)
        self.weight_decay.setObjectName("weightDecaySpin")
        self.weight_decay.setToolTip(TIPS["weight_decay"])
        self.decay_biases = QCheckBox("also decay biases")
        self.decay_biases.setObjectName("decayBiasesCheck")
        self.decay_biases.setToolTip(TIPS["decay_biases"])
        self.augment = QCheckBox("augment images")
        self.augment.setObjectName("augmentCheck")
        self.augment.setToolTip(TIPS["augment"])
        self.mixes = MixChecks()
        self.mix_my_digits, self.mix_pen_digits = self.mixes.checks
        self.optimizer = _registry_combo("optimizerCombo", OPTIMIZERS, TIPS["optimizer"])
        self.lr = LogSpinBox(*LR_RANGE)
        self.lr.setObjectName("lrSpin")
        self.lr.setToolTip(TIPS["lr"])
        self.momentum = QDoubleSpinBox()
        self.momentum.setObjectName("momentumSpin")
        self.momentum.setDecimals(4)
        self.momentum.setRange(0.0, MAX_MOMENTUM)
        self.momentum.setSingleStep(0.05)
        self.momentum.setToolTip(TIPS["momentum"])
        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batchSizeSpin")
        self.batch_size.setRange(1, MAX_BATCH_SIZE)
        self.batch_size.setToolTip(TIPS["batch_size"])
        self.epochs = QSpinBox()
        self.epochs.setObjectName("epochsSpin")
        self.epochs.setRange(1, MAX_EPOCHS)
        self.epochs.setToolTip(TIPS["epochs"])
        self.loss = _registry_combo("lossCombo", LOSSES, TIPS["loss"])
        self.device = _device_combo(TIPS["device"])
        self.seed = QSpinBox()
        self.seed.setObjectName("seedSpin")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setToolTip(TIPS["seed"])
        self.size = QLabel()
        self.size.setObjectName("modelSizeLabel")
        self.size.setWordWrap(True)
        self.size.setToolTip(TIPS["size"])
        self.error = QLabel()
        self.error.setObjectName("configError")
        self.error.setWordWrap(True)
        self.error.hide()

        preset_box = QGroupBox("Presets")
        preset_layout = QVBoxLayout(preset_box)
        preset_layout.addWidget(self.preset)
        preset_layout.addWidget(self.preset_note)
        data_box = QGroupBox("Data")
        form = QFormLayout(data_box)
        row = QHBoxLayout()
        row.addWidget(self.dataset, 1)
        row.addWidget(self.download)
        form.addRow("dataset", row)
        form.addRow(self.data_note)
        self._classes_label = QLabel("classes")
        form.addRow(self._classes_label, self.classes)
        form.addRow(self.augment)
        form.addRow(self.mix_my_digits)
        form.addRow(self.mix_pen_digits)
        net_box = QGroupBox("Network")
        form = QFormLayout(net_box)
        form.addRow(self.hidden)
        form.addRow("activation", self.activation)
        form.addRow("output activation", self.output_activation)
        form.addRow("weight init", self.init)
        form.addRow(self.size)
        reg_box = QGroupBox("Regularisation")
        form = QFormLayout(reg_box)
        form.addRow("weight decay", self.weight_decay)
        form.addRow(self.decay_biases)
        opt_box = QGroupBox("Optimisation")
        form = QFormLayout(opt_box)
        form.addRow("optimizer", self.optimizer)
        self.find_lr = QPushButton("Find learning rate")
        self.find_lr.setObjectName("findLrButton")
        from playground.ui.training.lr_finder_dialog import TIPS as LR_TIPS
        self.find_lr.setToolTip(LR_TIPS["find"])
        self.find_lr.clicked.connect(lambda: self.find_lr_requested.emit(self.current()))
        lr_row = QHBoxLayout()
        lr_row.addWidget(self.lr, 1)
        lr_row.addWidget(self.find_lr)
        form.addRow("learning rate", lr_row)
        form.addRow("momentum", self.momentum)
        form.addRow("batch size", self.batch_size)
        form.addRow("epochs", self.epochs)
        self.table_defaults = TableDefaultsNote(self)
        form.addRow(self.table_defaults)
        form.addRow("loss", self.loss)
        run_box = QGroupBox("Run")
        form = QFormLayout(run_box)
        form.addRow("device", self.device)
        form.addRow("seed", self.seed)
        layout = QVBoxLayout(self)
        for box in (preset_box, data_box, self.points, net_box, reg_box, opt_box, run_box):
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addStretch(1)
        guard_controls(self)   # scrolling the panel never changes a setting (hidden-layer rows guard their own)

        self.set_config(config)
        for combo in (self.dataset, self.activation, self.output_activation, self.init, self.optimizer, self.loss,
                      self.device):
            combo.currentIndexChanged.connect(self._on_change)
        for spin in (self.weight_decay, self.lr, self.momentum, self.batch_size, self.epochs, self.seed,
                     self.classes):
            spin.valueChanged.connect(self._on_change)
        for check in (self.decay_biases, self.augment, *self.mixes.checks):
            check.toggled.connect(self._on_change)
        self.hidden.changed.connect(self._on_change)
        self.points.changed.connect(self._on_change)

    def _apply_preset(self, index: int) -> None:
        key = self.preset.itemData(index)
        if key is None:
            return
        preset = PRESETS[key]
        self.set_config(preset.config.replace(data_dir=self._config.data_dir))
        self.preset_note.setText(preset.source)
        self.preset_note.show()
        self.config_changed.emit(self._config)

    # --- config <-> widgets ------------------------------------------------------------------
    def set_config(self, config: TrainConfig) -> None:
        self._updating = True
        try:
            add_source_item(self.dataset, config.dataset)   # your own csv:FILE or folder:DIR
            _select(self.dataset, config.dataset)
            self.points.set_config(config, data_kind(config.dataset, self._own_shape))
            entry = DATASETS.get(config.dataset)
            if entry is not None and entry.class_range:
                self.classes.setValue(config.classes)
            self.hidden.set_layers(config.hidden, config.dropout)
            _select(self.activation, config.activation)
            _select(self.output_activation, config.output_activation)
            _select(self.init, config.init)
            self.weight_decay.setValue(config.weight_decay)
            self.decay_biases.setChecked(config.decay_biases)
            self.augment.setChecked(config.augment)
            self.mixes.set_config(config)
            _select(self.optimizer, config.optimizer)
            self.lr.setValue(config.lr)
            self.momentum.setValue(config.momentum)
            self.batch_size.setValue(config.batch_size)
            self.epochs.setValue(config.epochs)
            _select(self.loss, config.loss)
            if self.device.findData(config.device) >= 0 and self._device_enabled(config.device):
                _select(self.device, config.device)
            else:
                _select(self.device, "auto")
            self.seed.setValue(config.seed)
            self._config = config
        finally:
            self._updating = False
        self._refresh_dependent()
        unshown = self._unshown(config)
        if unshown:
            self.error.setText(f"The panel cannot show {', '.join(unshown)} exactly; the config keeps its values "
                               f"until you edit them.")
            self.error.show()
        else:
            self.error.hide()

    def _unshown(self, config: TrainConfig) -> list[str]:
        """The fields the widgets would change if read back: a loaded config is never silently altered."""
        try:
            shown = self.config()
        except PlaygroundError:
            return ["some settings"]
        out = []
        for name, value in config.to_dict().items():
            now = getattr(shown, name) if name not in ("hidden", "dropout", "features") else list(getattr(shown, name))
            if name == "device" and now != value:
                continue      # a device this machine lacks falls back to Auto, and the device label says so
            if name == "dropout":
                close = len(now) == len(value) and all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(now, value))
            elif name in _FLOAT_FIELDS:
                close = math.isclose(now, value, rel_tol=1e-6, abs_tol=1e-12)
            else:
                close = now == value
            if not close:
                out.append(f"{name.replace('_', ' ')} {value}")
        return out

    def _device_enabled(self, name: str) -> bool:
        model = self.device.model()
        index = self.device.findData(name)
        return not isinstance(model, QStandardItemModel) or model.item(index).isEnabled()

    def config(self) -> TrainConfig:
        """The current widgets as a config; raises PlaygroundError when they do not make one."""
        return TrainConfig(
            dataset=self.dataset.currentData(), data_dir=self._config.data_dir, classes=self._classes(),
            max_levels=self._config.max_levels,
            hidden=self.hidden.widths(), activation=self.activation.currentData(),
            output_activation=self.output_activation.currentData(), init=self.init.currentData(),
            dropout=self.hidden.dropouts(), weight_decay=self.weight_decay.value(),
            decay_biases=self.decay_biases.isChecked(), optimizer=self.optimizer.currentData(),
            lr=self.lr.value(), momentum=self.momentum.value(), batch_size=self.batch_size.value(),
            epochs=self.epochs.value(), loss=self.loss.currentData(), device=self.device.currentData(),
            seed=self.seed.value(), augment=self.augment.isChecked(), **self.points.changes(),
            **self.mixes.changes(self.dataset.currentData()))

    def _classes(self) -> int:
        # only datasets with a choice of classes read the spin box; for the others the number is unused
        entry = DATASETS.get(self.dataset.currentData())
        return self.classes.value() if entry is not None and entry.class_range else self._config.classes

    def current(self) -> TrainConfig:
        return self._config

    def _on_change(self, *_args) -> None:
        if self._updating:
            return
        self._follow_dataset_defaults()
        self._refresh_dependent()
        try:
            config = self.config()
        except PlaygroundError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.config_invalid.emit(str(exc))
            return
        self.error.hide()
        self._config = config
        self._update_size(config)
        self.config_changed.emit(config)

    def _follow_dataset_defaults(self) -> None:
        """Augmentation and the pen mix left at the old dataset's default follow the new one's, as in the CLI."""
        old, new = self._config.dataset, self.dataset.currentData()
        self._updating = True
        try:
            for name, box in (("augment", self.augment), ("mix_pen_digits", self.mix_pen_digits)):
                box.setChecked(follow_default(name, box.isChecked(), old, new))
        finally:
            self._updating = False

    def _refresh_dependent(self) -> None:
        name = self.dataset.currentData()
        entry = DATASETS.get(name)       # None for your own csv:FILE or folder:DIR
        own_images = str(name).startswith("folder:")
        self.classes.setVisible(entry is not None and entry.class_range is not None)
        self._classes_label.setVisible(entry is not None and entry.class_range is not None)
        self.augment.setEnabled((entry is not None and entry.kind == "image") or own_images)
        self.points.show_for(name, data_kind(name, self._own_shape))
        self.momentum.setEnabled(OPTIMIZERS[self.optimizer.currentData()].uses_momentum)
        self.mixes.refresh(name)
        self.set_data_status(name)
        self._update_size(self._config)

    def set_data_status(self, name: str, on_disk: bool | None = None) -> None:
        entry = DATASETS.get(name)
        if entry is None:    # your own file or folder: File > Open data… says what it holds
            self.download.setVisible(False)
            self.data_note.setText(f"Your own data: {source_path(name)}")
        elif entry.downloadable:
            present = entry.on_disk(name, self._config.data_dir) if on_disk is None else on_disk
            self.download.setVisible(not present)
            self.data_note.setText("" if present else f"{entry.label} is not on disk yet: Download "
                                   f"it, or Train downloads it first.")
        else:
            self.download.setVisible(False)
            self.data_note.setText(entry.note)
        self.data_note.setVisible(bool(self.data_note.text()))

    # --- your own data -----------------------------------------------------------------------
    def set_data_shape(self, name: str, kind: str, n_inputs: int, n_outputs: int) -> None:
        """What reading your own data found (the window calls this once it is loaded)."""
        self._own_shape = (name, kind, n_inputs, n_outputs)
        if name == self.dataset.currentData():
            self._refresh_dependent()

    def _update_size(self, config: TrainConfig) -> None:
        known = self._own_shape and self._own_shape[0] == config.dataset
        if is_data_source(config.dataset) and not known:
            self.size.setText("The network's size shows once your data has been read (Train reads it).")
            return
        widths = self._own_shape[2:] if is_data_source(config.dataset) else None
        report = size_report(config, widths)
        text = report.summary()
        if report.device is None:
            text += f" — {report.problem}"
            self.size.setProperty("warning", True)
        elif not report.fits:
            text += " — too large for this machine: Train will refuse it"
            self.size.setProperty("warning", True)
        else:
            self.size.setProperty("warning", False)
        self.size.setToolTip(f"{TIPS['size']}\n\n{report.problem}" if report.problem else TIPS["size"])
        # re-apply the stylesheet so the [warning="true"] rule follows the property
        self.size.style().unpolish(self.size)
        self.size.style().polish(self.size)
        self.size.setText(text)

    def set_running(self, running: bool) -> None:
        """While a run is going, only the learning rate and epochs may change."""
        for w in (self.preset, self.dataset, self.download, self.classes, self.hidden, self.activation, self.points,
                  self.output_activation, self.init, self.weight_decay, self.decay_biases, self.augment,
                  *self.mixes.checks, self.optimizer, self.momentum, self.batch_size, self.loss, self.device,
                  self.seed):
            w.setEnabled(not running)
        if not running:
            self._refresh_dependent()

