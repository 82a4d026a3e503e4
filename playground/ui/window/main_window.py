"""The main window: the toolbar, the config panel, the tabs of `tabs.TABS` and the parts that own the actions.

It computes nothing and shows no record itself. Records go from the session to the application model
(`AppModel.apply`), whose events the tabs (see tabs.py) and the parts below observe:
- `display` (run_display.py): the progress bar and the status bar's read-outs;
- `files` (window_files.py): configs and checkpoints;
- `data` (data_actions.py): your own data and downloads;
- `tools` (script_export_action.py): Export as Python script and the learning-rate finder;
- `feedback` (feedback.py): the error banner and the status bar notes.
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QPushButton, QScrollArea, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget

from playground.engine.app_model import AppModel
from playground.engine.runs.store import RunStore
from playground.engine.config import TrainConfig
from playground.engine.runs.checkpoint import LoadedModel
from playground.engine.train.threads import compute_on_one_thread
from playground.ui.buttons import button
from playground.ui.window.preparation_progress import PreparationProgress
from playground.ui.session import TrainingSession
from playground.ui.settings import remember_config, restored_config
from playground.ui.window.status_bar import StatusBar
from playground.ui.window.welcome import WelcomeHint
from playground.ui.theme import app_icon, install_theme_menu
from playground.ui.training.config_panel import ConfigPanel
from playground.ui.window.data_actions import DataActions
from playground.ui.window.feedback import Feedback
from playground.ui.window.menus import build_menus
from playground.ui.window.open_run import RunOpener
from playground.ui.window.run_display import RunDisplay
from playground.ui.window.script_export_action import WindowTools
from playground.ui.window.tabs import TABS
from playground.ui.window.window_files import FileActions


CLOSE_BUDGET_S = 0.3      # what closing the window may spend waiting for jobs to stop, all together


def _button(name: str, text: str, tip: str) -> QPushButton:
    b = button(name, text, tip)
    b.setFocusPolicy(Qt.NoFocus)  # Space belongs to the Train shortcut, not to the focused button
    return b


class MainWindow(QMainWindow):
    def __init__(self, checkpoint: str | None = None, loaded: LoadedModel | None = None,
                 run: str | None = None) -> None:
        super().__init__()
        compute_on_one_thread()   # the GUI thread's predictions and copies leave the cores to training
        self.setWindowTitle("MLP Playground")
        self.resize(1400, 900)
        config, note = restored_config() if checkpoint is None and run is None else (TrainConfig(), None)
        self.model = AppModel(config, store=RunStore.open())   # every run is recorded as it goes
        self.session = TrainingSession(config, self, model=self.model)
        self.panel = ConfigPanel(config)
        self.setStatusBar(StatusBar())   # a long message is cut with "…", never run into the read-outs
        self.feedback = Feedback(self.statusBar())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        for entry in TABS:
            tab = entry.make(self.model, self.session)
            setattr(self, entry.attr, tab)
            entry.observe(tab, self.model)
            self.tabs.addTab(tab, entry.title)
        self.model.load_stored_runs()   # listed unticked, newest first; their epochs are read when ticked
        self.plots = self.training.plots
        self.display = RunDisplay(self.model, self.session, self.feedback, self.plots.timer, self)
        self.files = FileActions(self, self.model, self.session, self.panel, self.feedback, self._on_config)
        self.data = DataActions(self, self.model, self.session, self.panel, self.feedback, self._on_config)
        self.tools = WindowTools(self, self.model, self.panel, self.feedback)
        self.opener = RunOpener(self, self.model, self.session, self.panel, self.feedback)
        self._build_toolbar()
        self._build_centre()
        build_menus(self, self.files, self.data, self.tools, self.network, self.session, self.train_clicked)
        self.theme = install_theme_menu(self)
        self.setWindowIcon(app_icon())
        for label in self.display.labels:
            self.statusBar().addPermanentWidget(label)
        self._wire()
        self.preparing = PreparationProgress(self.display.progress, self.statusBar(), self.session)
        self._on_state("idle")
        self.plots.set_epochs(config.epochs)
        self.display.show_device(config.device)
        if note:
            self.feedback.note(note, 15000)
        if self.model.store.notice:   # the store's: damaged and moved aside, or not recording
            self.feedback.show_error(self.model.store.notice)
        QTimer.singleShot(0, self.training.refresh_store_line)   # after the window shows: it stats every file
        if checkpoint is not None:
            self.files.load_checkpoint(checkpoint, loaded)
        elif run is not None:
            store_id, _, which = str(run).partition(":")
            self.opener.open(int(store_id), which or "last")

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
        for w in (self.train_button, self.stop_button, self.reset_button, self.step_button):
            bar.addWidget(w)
        bar.addSeparator()
        bar.addWidget(self.display.progress)
        self.addToolBar(Qt.TopToolBarArea, bar)

    def _build_centre(self) -> None:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.feedback.banner_box)
        self.welcome = WelcomeHint(self.panel.preset)   # first launch only, until dismissed
        right_layout.addWidget(self.welcome)
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

    def _wire(self) -> None:
        self.train_button.clicked.connect(self.train_clicked)
        self.stop_button.clicked.connect(self.session.stop)
        self.reset_button.clicked.connect(self.session.reset)
        self.step_button.clicked.connect(self.session.step)
        self.session.failed.connect(self.feedback.show_error)
        self.session.state_changed.connect(self._on_state)
        self.panel.config_changed.connect(self._on_config)
        self.panel.config_invalid.connect(lambda msg: self.feedback.note(msg, 5000))
        self.training.message.connect(lambda text: self.feedback.note(text, 6000))
        self.training.failed.connect(self.feedback.show_error)
        self.training.open_requested.connect(self.opener.open)
        self.network.failed.connect(self.feedback.show_error)
        self.network.message.connect(lambda text: self.feedback.note(text, 6000))
        self.draw.drawn.connect(self.network.set_drawing)

    # --- reactions ---------------------------------------------------------------------------
    def train_clicked(self) -> None:
        """Train, but first ask before downloading a set that is not on disk."""
        if self.data.needs_download():
            name = self.model.config.dataset
            if self.data.ask_download(name):
                self.data.download(name, then_train=True)
            return
        self.session.train()

    def _on_config(self, config: TrainConfig) -> None:
        was_stale = self.model.stale
        self.model.set_config(config)
        self.activation_lab.set_dropout(max(config.dropout, default=0.0))
        self.mistakes.follow_panel(config.dataset)
        self.plots.set_epochs(config.epochs)
        if not self.session.is_busy:
            self.display.show_device(config.device)
        if self.model.stale and not was_stale:
            self.feedback.note("Settings changed: the next Train starts a new run from fresh weights.")

    def _on_state(self, state: str) -> None:
        busy = state != "idle"
        self.train_button.setText({"running": "Pause", "paused": "Resume"}.get(state, "Train"))
        self.train_button.setEnabled(state in ("idle", "running", "paused"))
        self.stop_button.setEnabled(state in ("running", "paused"))
        self.step_button.setEnabled(not busy)
        self.reset_button.setEnabled(state != "busy")
        self.panel.set_running(state in ("running", "stopping", "busy"))
        self.training.live = state in ("running", "paused", "stopping")

    # --- closing -----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        # Closing never waits for a job: each is asked to stop and given what is left of a short budget (a
        # training run stops within a step); one still running then (a dataset being generated cannot be
        # interrupted) is let go to the thread keeper, which joins it after the window is gone (job_runner.py).
        deadline = time.monotonic() + CLOSE_BUDGET_S
        for shutdown in (self.session.shutdown, self.gradients.background.shutdown, self.tools.shutdown,
                         self.data.table_loader.shutdown,
                         self.network.shutdown, self.draw.saliency.shutdown):
            shutdown(max(0, int(1000 * (deadline - time.monotonic()))))
        self.training.edits.flush()     # runs deleted in the window leave the store now (Undo kept them till here)
        try:
            remember_config(self.panel.current())
        except Exception:   # never block closing the window
            pass
        super().closeEvent(event)
