"""Opening a stored run's model from the runs table (or `--run ID` at launch): the application model makes it
the current model, listed as that run, so the Draw, Network and Mistakes tabs use it and Train continues the
same run. Failures (a missing or corrupt model file) go to the banner; the run stays listed."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from playground.engine.app_model import AppModel
from playground.engine.datasets import is_on_disk
from playground.engine.errors import PlaygroundError
from playground.ui.session import TrainingSession
from playground.ui.training.config_panel import ConfigPanel
from playground.ui.window.feedback import Feedback


class RunOpener(QObject):
    def __init__(self, window: QWidget, model: AppModel, session: TrainingSession, panel: ConfigPanel,
                 feedback: Feedback) -> None:
        super().__init__(window)
        self.model, self.session, self.panel, self.feedback = model, session, panel, feedback

    def open(self, store_id: int, which: str = "last") -> bool:
        """Make stored run `store_id`'s last or best model current; False (with the reason in the banner)
        when it cannot be."""
        if self.session.is_busy:
            self.feedback.show_error("Stop the current run (or let the current job finish) before opening "
                                     "another run's model.")
            return False
        try:
            loaded = self.model.open_stored_run(int(store_id), which)
        except PlaygroundError as exc:
            self.feedback.show_error(f"Cannot open that model: {exc}. The run stays listed with its curves.")
            return False
        self.panel.set_config(loaded.config)
        if is_on_disk(loaded.config.dataset, loaded.config.data_dir):
            self.session.evaluate_loaded()     # the Mistakes and boundary views measure it on its test split
        run = self.model.runs.current
        name = run.name if run is not None else f"run {store_id}"
        done = len(loaded.metrics)
        then = ("Train continues this run" if done < loaded.config.epochs else
                "raise Epochs and Train to continue this run")
        self.feedback.clear_error()
        self.feedback.note(f"Opened the {which} model of “{name}” ({done} epoch{'s' if done != 1 else ''}): the "
                           f"Draw, Network and Mistakes tabs use it; {then}.")
        return True
