"""The main window: builds the views and wires the config panel, the session and the app model to them.

It computes nothing: what each record shows is in record_views.py, the File actions in window_files.py.
"""
from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton, QScrollArea, QSplitter,
                               QTabWidget, QToolBar, QVBoxLayout, QWidget)

from playground.engine.app_model import AppModel
from playground.engine.runs.store import RunStore
from playground.engine.runs.checkpoint import LoadedModel
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.records import StepRecord
from playground.engine.train.threads import compute_on_one_thread
from playground.ui.training.config_panel import ConfigPanel
from playground.ui.labs.activation_tab import ActivationLab
from playground.ui.labs.boundary_tab import BoundaryView
from playground.ui.draw.draw_tab import DrawTab
from playground.ui.labs.gradients_tab import GradientsTab
from playground.ui.labs.mistakes_tab import MistakesTab
from playground.ui.network.network_source import NetworkSource
from playground.ui.network.network_tab import NetworkView
from playground.ui.window.record_views import RecordViews
from playground.ui.window.script_export_action import WindowTools
from playground.ui.session import TrainingSession
from playground.ui.settings import restored_config, remember_config
from playground.ui.theme import app_icon, install_theme_menu
from playground.ui.training.training_tab import TrainingTab
from playground.ui.labs.weights_tab import WeightsTab
from playground.ui.window.window_files import FileActions
from playground.ui.window.data_actions import DataActions
from playground.ui.buttons import button

def _button(name: str, text: str, tip: str) -> QPushButton:
    b = button(name, text, tip)
    b.setFocusPolicy(Qt.NoFocus)  # Space belongs to the Train shortcut, not to the focused button
    return b



class MainWindow(RecordViews, FileActions, DataActions, QMainWindow):
    def __init__(self, checkpoint: str | None = None, loaded: LoadedModel | None = None) -> None:
        super().__init__()
        compute_on_one_thread()   # the GUI thread's predictions and copies leave the cores to training
        self.setWindowTitle("MLP Playground")
        self.resize(1400, 900)
        config, note = restored_config() if checkpoint is None else (TrainConfig(), None)
        self.model = AppModel(config, store=RunStore.open())   # every run is recorded as it goes
        self.session = TrainingSession(config, self, model=self.model)
        self.panel = ConfigPanel(config)
        self.training = TrainingTab(self.model.runs)
        self.plots = self.training.plots
        self.runs = self.model.runs
        self.activation_lab = ActivationLab()
        self.gradients = GradientsTab()
        self.draw = DrawTab(self.model, session=self.session)
        self.boundary = BoundaryView()
        self.mistakes = MistakesTab()
        self.weights = WeightsTab(self.model)
        self.network = NetworkView(NetworkSource(self.model, self.session))
        self._latest_step: StepRecord | None = None
        self._handlers = self._record_handlers()
        self._build_toolbar()
        self._build_centre()
        self._build_menus()
        self.theme = install_theme_menu(self)
        self.setWindowIcon(app_icon())
        self._build_statusbar()
        self._wire()
        self.tools = WindowTools(self)   # File > Export as Python script…, the learning-rate finder
        self._on_state("idle")
        self.plots.set_epochs(config.epochs)
        self._show_device(config.device)
        if note or self.model.store.notice:   # the store's: damaged and moved aside, or not recording
            self.statusBar().showMessage(" · ".join(filter(None, (note, self.model.store.notice))), 15000)
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
        self.tabs.addTab(self.network, "Network")
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
        # the panel scrolls down only: as wide as its widest row plus the vertical scroll bar
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        panel_width = self.panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4
        scroll.setMinimumWidth(max(360, panel_width))
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([max(380, panel_width), 1020])
        self.setCentralWidget(splitter)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        actions = [
            ("Save config…", None, self._save_config_dialog),
            ("Load config…", None, self._load_config_dialog),
            ("Save checkpoint…", QKeySequence.Save, self._save_checkpoint_dialog),
            ("Load checkpoint…", QKeySequence.Open, self._load_checkpoint_dialog),
            ("Open data…", None, self._open_data_dialog),
            ("Open image folder…", None, self._open_folder_dialog),
            ("Export network view (PNG)…", None, self.network._export_png_dialog),
            ("Export network view as JSON…", None, self.network._export_json_dialog),
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
        for text, key, slot in (("Train / pause", "Space", self._train_clicked),
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
        self.train_button.clicked.connect(self._train_clicked)
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
        self.network.failed.connect(self.show_error)
        self.network.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.draw.drawn.connect(self.network.set_drawing)

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
            self.runs.set_status("stopped")   # a Step, or a job that failed, ends without a RunEnd
        if state == "paused":
            self.progress.setFormat(self.progress.format().split(" (paused)")[0] + " (paused)")

    def _show_device(self, name: str) -> None:
        from playground.engine.devices import device_label, resolve_device
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

    # --- closing -----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        # A running QThread must never be destroyed: a training run stops within a step, but loading or
        # downloading a dataset cannot be interrupted, so the window disappears first and then waits for it.
        for jobs in (self.session, self.gradients.background, self.tools):
            if not jobs.shutdown(2000):
                self.hide()
                jobs.shutdown(None)
        self.network.shutdown()
        self.draw.saliency.shutdown()
        try:
            remember_config(self.panel.current())
        except Exception:   # never block closing the window
            pass
        super().closeEvent(event)
