"""Sweeps on the Training tab: the sweepButton and its dialog, the sweep pane (sweepPlot, progress, Stop),
and highlighting the curves of the run behind a clicked point.

`install(tab, model, session)` adds them to a built TrainingTab; they follow `model.sweeps.events` (the sweep's
records reach the application model like any job's) and start the sweep through `session.run_job`, so the
toolbar's Pause and Stop act on it and the window never waits for it.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSplitter, QVBoxLayout, QWidget

from playground.engine.app_model import AppModel
from playground.engine.errors import PlaygroundError
from playground.engine.runs.history import Run
from playground.engine.sweep_runs import SweepState
from playground.ui.buttons import button
from playground.ui.session import TrainingSession
from playground.ui.training.plots import run_colour
from playground.ui.training.sweep_dialog import SweepDialog
from playground.ui.training.sweep_plot import SweepPlot

DIMMED = 0.15   # opacity of the other runs' curves while one run is highlighted


class SweepControls(QObject):
    def __init__(self, tab, model: AppModel, session: TrainingSession) -> None:
        super().__init__(tab)
        self.tab, self.model, self.session = tab, model, session
        self.sweeps = model.sweeps
        self.dialog: SweepDialog | None = None
        self.highlighted: int | None = None     # the run id whose curves stand out
        self.button = button("sweepButton", "Sweep…",
                             "Try one setting at several values (learning rate, dropout, seed, …) in one go: "
                             "every value trains as a run of its own, and the sweep plot shows what each gave.")
        self.plot = SweepPlot()
        self.title = QLabel("no sweep yet")
        self.title.setObjectName("sweepTitleLabel")
        self.title.setToolTip("The sweep shown, and how far it is.")
        self.progress = QProgressBar()
        self.progress.setObjectName("sweepProgress")
        self.progress.setRange(0, 1000)
        self.progress.setToolTip("How far the whole sweep is: every configuration's training together.")
        self.stop = button("sweepStopButton", "Stop", "Stop the sweep. The runs keep the epochs they finished.")
        self.hide_button = button("sweepHideButton", "Hide", "Hide the sweep plot (Sweep… shows it again).")
        self.pane = self._build_pane()
        self._wire()

    def _build_pane(self) -> QWidget:
        pane = QWidget()
        pane.setObjectName("sweepPane")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.stop)
        top.addWidget(self.hide_button)
        hint = QLabel("click a point to highlight its run")
        hint.setObjectName("sweepHintLabel")
        hint.setToolTip("The other runs' curves fade; click the point again to show them all.")
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.plot, 1)
        layout.addWidget(hint)
        pane.hide()
        return pane

    def _wire(self) -> None:
        events = self.sweeps.events
        events.started.connect(self._on_started)
        events.changed.connect(self._redraw)
        events.progress.connect(self._on_progress)
        events.ended.connect(self._on_ended)
        self.model.runs.events.run_added.connect(lambda run, position: self._apply_highlight())
        self.model.runs.events.run_removed.connect(self._on_run_removed)
        self.session.state_changed.connect(self._on_state)
        self.button.clicked.connect(self.open_dialog)
        self.stop.clicked.connect(self.session.stop)
        self.hide_button.clicked.connect(self.pane.hide)
        self.plot.point_clicked.connect(self.toggle_highlight)

    # --- starting ------------------------------------------------------------------------------
    def open_dialog(self) -> SweepDialog:
        """The dialog, window-modal and not blocking; Start runs the sweep."""
        self.dialog = SweepDialog(self.model.config, self.tab.window())
        self.dialog.accepted.connect(lambda: self.start(*self.dialog.choice()))
        self.dialog.open()
        return self.dialog

    def start(self, param: str, values: list) -> bool:
        """Run the sweep of `param` over `values` from the current settings; False (with one line on the
        tab's banner) when it cannot start."""
        if self.session.is_busy:
            self.tab.failed.emit("A job is running: stop it before starting a sweep.")
            return False
        try:
            started = self.session.run_job(lambda: self.sweeps.job(self.model, param, values))
        except PlaygroundError as exc:
            self.tab.failed.emit(str(exc))
            return False
        if started:
            self.toggle_highlight(None)
        return started

    # --- following the sweep ---------------------------------------------------------------------
    def _colour(self, run: Run):
        return run_colour(self.model.runs.index(run))

    def _on_started(self, state: SweepState) -> None:
        self.pane.show()
        self.progress.setValue(0)
        self._redraw(state)

    def _redraw(self, state: SweepState) -> None:
        if state is not self.sweeps.current:
            return
        self.plot.show_sweep(state, self._colour)
        self._on_progress(state)

    def _on_progress(self, state: SweepState) -> None:
        self.progress.setValue(int(round(1000 * state.progress)))
        what = "running" if state.running else "ended"
        self.title.setText(f"{state.name}: {' × '.join(state.params)} · {state.done}/{len(state.points)} "
                           f"configurations done · {what}")

    def _on_ended(self, state: SweepState) -> None:
        self._redraw(state)
        statuses = [p.status for p in state.points]
        diverged = statuses.count("diverged")
        self.tab.message.emit(f"{state.name} ended: {statuses.count('finished')} finished"
                              + (f", {diverged} diverged" if diverged else "")
                              + (", the rest stopped" if statuses.count("finished") + diverged < len(statuses) else "")
                              + ". Click a point of the sweep plot to highlight its run.")

    def _on_state(self, state: str) -> None:
        running = state in ("running", "paused")
        self.button.setEnabled(state == "idle")
        self.stop.setEnabled(running and bool(self.sweeps.current and self.sweeps.current.running))
        if state == "idle":
            self.sweeps.job_ended()   # a sweep stopped or failed before its SweepEnd

    # --- highlighting ------------------------------------------------------------------------------
    def toggle_highlight(self, index: int | None) -> None:
        """Highlight the run of sweep point `index` (again, or None: show every run alike)."""
        state = self.sweeps.current
        run = state.points[index].run if state is not None and index is not None else None
        if run is None or run.run_id == self.highlighted:
            self.highlighted = None
            self.plot.highlight(None)
        else:
            self.highlighted = run.run_id
            self.model.runs.set_visible(run.run_id, True)
            self.plot.highlight(index)
            self._select_row(run.run_id)
            self.tab.message.emit(f"{run.name}: its curves stand out; click the point again to show all runs.")
        self._apply_highlight()

    def _apply_highlight(self) -> None:
        for run_id, curves in self.tab.plots.curves.items():
            on = self.highlighted is None or run_id == self.highlighted
            for item in curves.items:
                item.setOpacity(1.0 if on else DIMMED)
                item.setZValue(10 if on and self.highlighted is not None else 0)

    def _on_run_removed(self, run_id: int) -> None:
        if run_id == self.highlighted:
            self.toggle_highlight(None)

    def _select_row(self, run_id: int) -> None:
        self.tab.table.select_run(run_id)


def install(tab, model: AppModel, session: TrainingSession) -> SweepControls:
    """Add the sweep button to the tab's row of buttons and the sweep pane beside its curves."""
    controls = SweepControls(tab, model, session)
    row = tab.button_row
    row.insertWidget(row.indexOf(tab.undo) + 1, controls.button)
    upper = QSplitter(Qt.Horizontal)
    upper.setObjectName("sweepSplitter")
    sizes = tab.splitter.sizes()
    upper.addWidget(tab.plots)           # moves the curves out of the tab's splitter, into this one
    upper.addWidget(controls.pane)
    tab.splitter.insertWidget(0, upper)
    tab.splitter.setStretchFactor(0, 3)
    tab.splitter.setSizes(sizes)
    upper.setStretchFactor(0, 3)
    upper.setStretchFactor(1, 2)
    tab.sweeps = controls
    return controls
