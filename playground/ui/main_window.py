"""The main window: wires the config panel, the session and the views together; computes nothing."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton,
                               QScrollArea, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from ..engine.boundary import BoundaryRecord
from ..engine.checkpoint import LoadedModel, load_checkpoint
from ..engine.config import TrainConfig
from ..engine.datasets import is_on_disk
from ..engine.errors import PlaygroundError
from ..engine.records import EpochRecord, LayerRecord, RunEnd, StepRecord, TestRecord
from .config_panel import ConfigPanel
from .activation_lab import ActivationLab
from .boundary_view import BoundaryView
from .draw_tab import DrawTab
from .gradients_tab import GradientsTab
from .mistakes_tab import MistakesTab
from .session import Status, TestSplit, TrainerReady, TrainingSession
from .settings import restored_config, remember_config
from .theme import app_icon, install_theme_menu
from .training_tab import TrainingTab
from .weights_tab import WeightsTab

def _button(name: str, text: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.setFocusPolicy(Qt.NoFocus)  # Space belongs to the Train shortcut, not to the focused button
    return b



class MainWindow(QMainWindow):
    def __init__(self, checkpoint: str | None = None, loaded: LoadedModel | None = None) -> None:
        super().__init__()
        self.setWindowTitle("MLP Playground")
        self.resize(1400, 900)
        config, note = restored_config() if checkpoint is None else (TrainConfig(), None)
        self.session = TrainingSession(config, self)
        self.panel = ConfigPanel(config)
        self.training = TrainingTab()
        self.plots = self.training.plots
        self.runs = self.training.history
        self.activation_lab = ActivationLab()
        self.gradients = GradientsTab()
        self.draw = DrawTab(self.session)
        self.boundary = BoundaryView()
        self.mistakes = MistakesTab()
        self.weights = WeightsTab(self.session)
        self._steps_per_epoch = 1
        self._latest_step: StepRecord | None = None
        self._build_toolbar()
        self._build_centre()
        self._build_menus()
        self.theme = install_theme_menu(self)
        self.setWindowIcon(app_icon())
        self._build_statusbar()
        self._wire()
        self._on_state("idle")
        self.plots.set_epochs(config.epochs)
        self._show_device(config.device)
        if note:
            self.statusBar().showMessage(note, 8000)
        if checkpoint is not None:
            self.load_checkpoint(checkpoint, loaded)

    # --- construction ------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar("Training")
        bar.setObjectName("trainingToolbar")
        bar.setMovable(False)
        self.train_button = _button("trainButton", "Train", "Start training (Space). While training it pauses; "
                                    "after a pause it resumes.")
        self.stop_button = _button("stopButton", "Stop", "Stop the run. The model keeps its weights: Train "
                                   "continues it unless you changed the network.")
        self.reset_button = _button("resetButton", "Reset", "Re-initialise the weights (Ctrl+R): the next Train "
                                    "starts from scratch.")
        self.step_button = _button("stepButton", "Step", "Train on exactly one batch and show its loss: watch "
                                   "a single gradient step.")
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("ready")
        self.progress.setMinimumWidth(320)
        for w in (self.train_button, self.stop_button, self.reset_button, self.step_button):
            bar.addWidget(w)
        bar.addSeparator()
        bar.addWidget(self.progress)
        self.addToolBar(Qt.TopToolBarArea, bar)

    def _build_centre(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.banner_close = QPushButton("Dismiss")
        self.banner_close.setObjectName("dismissErrorButton")
        self.banner_close.clicked.connect(self.clear_error)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.banner_close)
        self.banner_box = QWidget()
        self.banner_box.setLayout(banner_row)
        self.banner_box.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(self.training, "Training")
        self.tabs.addTab(self.activation_lab, "Activation lab")
        self.tabs.addTab(self.gradients, "Gradients")
        self.tabs.addTab(self.draw, "Draw")
        self.tabs.addTab(self.boundary, "Decision boundary")
        self.tabs.addTab(self.mistakes, "Mistakes")
        self.tabs.addTab(self.weights, "Weights")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner_box)
        right_layout.addWidget(self.tabs, 1)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 1020])
        self.setCentralWidget(splitter)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        actions = [
            ("Save config…", None, self._save_config_dialog),
            ("Load config…", None, self._load_config_dialog),
            ("Save checkpoint…", QKeySequence.Save, self._save_checkpoint_dialog),
            ("Load checkpoint…", QKeySequence.Open, self._load_checkpoint_dialog),
            (None, None, None),
            ("Quit", QKeySequence.Quit, self.close),
        ]
        for text, key, slot in actions:
            if text is None:
                file_menu.addSeparator()
                continue
            action = QAction(text, self)
            if key is not None:
                action.setShortcut(key)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        train_menu = self.menuBar().addMenu("&Training")
        for text, key, slot in (("Train / pause", "Space", self.session.train),
                                ("Reset weights", "Ctrl+R", self.session.reset)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            train_menu.addAction(action)
        self.addActions(train_menu.actions())

    def _build_statusbar(self) -> None:
        self.device_label = QLabel("device: —")
        self.device_label.setObjectName("deviceLabel")
        self.speed_label = QLabel("")
        self.speed_label.setObjectName("speedLabel")
        self.metrics_label = QLabel("")
        self.metrics_label.setObjectName("metricsLabel")
        for w in (self.metrics_label, self.speed_label, self.device_label):
            self.statusBar().addPermanentWidget(w)

    def _wire(self) -> None:
        self.train_button.clicked.connect(self.session.train)
        self.stop_button.clicked.connect(self.session.stop)
        self.reset_button.clicked.connect(self.session.reset)
        self.step_button.clicked.connect(self.session.step)
        self.session.records.connect(self._on_records)
        self.plots.timer.timeout.connect(self._update_progress)
        self.session.failed.connect(self.show_error)
        self.session.state_changed.connect(self._on_state)
        self.session.model_reset.connect(self._on_model_reset)
        self.panel.config_changed.connect(self._on_config)
        self.panel.config_invalid.connect(lambda msg: self.statusBar().showMessage(msg, 5000))
        self.panel.download_requested.connect(self._download)
        self.training.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.training.failed.connect(self.show_error)

    # --- reactions ---------------------------------------------------------------------------
    def _on_config(self, config: TrainConfig) -> None:
        was_stale = self.session.stale
        self.session.set_config(config)
        self.activation_lab.set_dropout(max(config.dropout, default=0.0))
        self.plots.set_epochs(config.epochs)
        if not self.session.is_busy:
            self._show_device(config.device)
        if self.session.stale and not was_stale:
            self.statusBar().showMessage("Settings changed: the next Train starts a new run from fresh weights.")

    def _on_state(self, state: str) -> None:
        busy = state != "idle"
        self.train_button.setText({"running": "Pause", "paused": "Resume"}.get(state, "Train"))
        self.train_button.setEnabled(state in ("idle", "running", "paused"))
        self.stop_button.setEnabled(state in ("running", "paused"))
        self.step_button.setEnabled(not busy)
        self.reset_button.setEnabled(state != "busy")
        self.panel.set_running(state in ("running", "stopping", "busy"))
        self.training.live = state in ("running", "paused", "stopping")
        if state == "idle" and self.runs.current is not None and self.runs.current.status == "running":
            self.training.set_status("stopped")   # a Step, or a job that failed, ends without a RunEnd
        if state == "paused":
            self.progress.setFormat(self.progress.format().split(" (paused)")[0] + " (paused)")

    def _on_records(self, records: list) -> None:
        for record in records:
            if isinstance(record, StepRecord):
                self.training.add_step(record.step / self._steps_per_epoch, record.loss)
                self.gradients.add_step(record.step / self._steps_per_epoch, record.grad_norms)
                self._latest_step = record
            elif isinstance(record, LayerRecord):
                self.gradients.add_layers(record)
            elif isinstance(record, BoundaryRecord):
                self.boundary.show_boundary(record)
            elif isinstance(record, TestRecord):
                self.mistakes.show_test(record)
            elif isinstance(record, EpochRecord):
                self.training.add_epoch(record)
                self.metrics_label.setText(
                    f"epoch {record.epoch}: train loss {record.train_loss:.4f} acc {record.train_accuracy:.3f} · "
                    f"test loss {record.test_loss:.4f} acc {record.test_accuracy:.3f}")
            elif isinstance(record, RunEnd):
                self._on_run_end(record)
            elif isinstance(record, TrainerReady):
                self._on_trainer_ready(record)
            elif isinstance(record, Status):
                self.statusBar().showMessage(record.text)
            elif isinstance(record, TestSplit):
                self.mistakes.set_dataset(record.dataset)
                self.boundary.set_points(record.dataset)

    def _on_trainer_ready(self, record: TrainerReady) -> None:
        trainer = self.session.trainer
        self._steps_per_epoch = record.steps_per_epoch
        self.plots.set_epochs(self.session.config.epochs)
        self.device_label.setText(f"device: {record.device_label}")
        self.draw.model_changed()
        self.weights.model_changed()
        if not record.same_model:
            self.boundary.set_points(trainer.dataset)
            self.mistakes.set_dataset(trainer.dataset)
        if record.fresh or self.runs.current is None:
            d = trainer.dataset
            self.training.start_run(trainer.config, d.n_inputs, d.n_classes, record.device_label)
        else:
            self.training.set_status("running")
        if record.fresh:
            self.gradients.reset_live()
            self.progress.setValue(0)
            self.progress.setFormat("starting…")
            self.metrics_label.setText("")
            self.speed_label.setText("")
            self.statusBar().showMessage("New run from fresh weights.", 4000)
        self.clear_error()

    def _update_progress(self) -> None:
        """Progress and speed read-outs, at the plots' refresh rate rather than per record batch."""
        record, self._latest_step = self._latest_step, None
        if record is not None and self.session.state == "running":
            self._show_progress(record)

    def _show_progress(self, record: StepRecord) -> None:
        self.progress.setValue(int(round(1000 * min(record.progress, 1.0))))
        trainer = self.session.trainer
        total_epochs = trainer.config.epochs if trainer else self.panel.current().epochs
        remaining = 0.0
        if trainer is not None and record.samples_per_second > 0:
            remaining = (trainer.total_steps - record.step) * trainer.config.batch_size / record.samples_per_second
        minutes, seconds = divmod(int(remaining), 60)
        self.progress.setFormat(f"epoch {record.epoch}/{total_epochs} · ETA {minutes}:{seconds:02d}")
        self.speed_label.setText(f"{record.samples_per_second:,.0f} samples/s · loss {record.loss:.4f}")

    def _on_run_end(self, end: RunEnd) -> None:
        self._latest_step = None  # a pending progress update must not overwrite the outcome
        self.training.set_status(end.status)
        if end.status == "finished":
            self.progress.setValue(self.progress.maximum())
            self.progress.setFormat("finished")
            self.statusBar().showMessage(end.message)
        elif end.status == "diverged":
            self.progress.setFormat("diverged")
            self.show_error(end.message)
        else:
            self.progress.setFormat(f"stopped at epoch {end.epoch}")
            self.statusBar().showMessage("Stopped. Train continues this model; Reset starts over.")

    def _on_model_reset(self) -> None:
        self.training.detach()
        self.mistakes.set_dataset(None)
        self.weights.model_changed()
        self.draw.model_changed()
        self.progress.setValue(0)
        self.progress.setFormat("ready")
        self.metrics_label.setText("")
        self.statusBar().showMessage("Weights reset: the next Train starts from scratch.", 5000)

    def _show_device(self, name: str) -> None:
        from ..engine.devices import device_label, resolve_device
        try:
            self.device_label.setText(f"device: {device_label(resolve_device(name))}")
        except PlaygroundError as exc:
            self.device_label.setText("device: unavailable")
            self.device_label.setToolTip(str(exc))

    def show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner_box.show()
        self.statusBar().showMessage(message.split(". ")[0], 8000)

    def clear_error(self) -> None:
        self.banner.clear()
        self.banner_box.hide()

    # --- downloads ---------------------------------------------------------------------------
    def _download(self, name: str) -> None:
        if self.session.is_busy:
            self.show_error("Wait for the current run to end before downloading.")
            return
        self.session.download(name, done=lambda: self.panel.set_data_status(name))

    # --- files -------------------------------------------------------------------------------
    def save_config(self, path: str | Path) -> None:
        try:
            self.panel.config().save(path)
            self.statusBar().showMessage(f"Saved config to {path}", 5000)
        except (PlaygroundError, OSError) as exc:
            self.show_error(f"Could not save the config: {exc}")

    def load_config(self, path: str | Path) -> None:
        try:
            config = TrainConfig.load(path)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return
        self.panel.set_config(config)
        self._on_config(self.panel.current())
        self.statusBar().showMessage(f"Loaded config from {path}", 5000)

    def save_checkpoint(self, path: str | Path) -> bool:
        try:
            self.session.save_checkpoint(path)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return False
        self.statusBar().showMessage(f"Saved checkpoint to {path}", 5000)
        return True

    def load_checkpoint(self, path: str | Path, loaded: LoadedModel | None = None) -> bool:
        if self.session.is_busy:
            self.show_error("Stop the current run (or let the current job finish) before loading a checkpoint.")
            return False
        try:
            loaded = loaded or load_checkpoint(path)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return False
        self.session.set_loaded(loaded)
        self.draw.model_changed()
        self.weights.model_changed()
        self.mistakes.set_dataset(None)
        self.panel.set_config(loaded.config)
        self.plots.set_epochs(max(loaded.config.epochs, len(loaded.metrics)))
        self.training.start_run(loaded.config, loaded.n_inputs, len(loaded.class_names), "—",
                                name=Path(path).name, status="loaded")
        for record in loaded.metrics:
            self.training.add_epoch(record)
        self.plots.refresh()
        self.boundary.set_points(None)
        if is_on_disk(loaded.config.dataset, loaded.config.data_dir):
            self.session.evaluate_loaded()
        last = loaded.metrics[-1] if loaded.metrics else None
        self.progress.setValue(0)
        self.progress.setFormat(f"loaded: {len(loaded.metrics)} epochs trained" if last else "loaded")
        self.clear_error()
        self.statusBar().showMessage(f"Loaded {Path(path).name}" +
                                     (f": test accuracy {last.test_accuracy:.4f}" if last else ""))
        return True

    def _dialog_path(self, save: bool, title: str, pattern: str) -> str | None:
        fn = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = fn(self, title, "", pattern)
        return path or None

    def _save_config_dialog(self) -> None:
        if path := self._dialog_path(True, "Save config", "Config (*.json)"):
            self.save_config(path)

    def _load_config_dialog(self) -> None:
        if path := self._dialog_path(False, "Load config", "Config (*.json);;All files (*)"):
            self.load_config(path)

    def _save_checkpoint_dialog(self) -> None:
        if path := self._dialog_path(True, "Save checkpoint", "Checkpoint (*.pt)"):
            self.save_checkpoint(path)

    def _load_checkpoint_dialog(self) -> None:
        if path := self._dialog_path(False, "Load checkpoint", "Checkpoint (*.pt);;All files (*)"):
            self.load_checkpoint(path)

    # --- closing -----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        # A running QThread must never be destroyed: a training run stops within a step, but loading or
        # downloading a dataset cannot be interrupted, so the window disappears first and then waits for it.
        for jobs in (self.session, self.gradients.background):
            if not jobs.shutdown(2000):
                self.hide()
                jobs.shutdown(None)
        try:
            remember_config(self.panel.current())
        except Exception:   # never block closing the window
            pass
        super().closeEvent(event)
