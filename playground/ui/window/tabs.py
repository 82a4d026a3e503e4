"""The table of the window's tabs: one entry per tab says its attribute, its title, how it is built and which of
the application model's events it observes. Adding a tab is adding one entry.

Tabs that take the model subscribe to its events themselves (Draw, Weights: `model_changed`; Training: the run
history's events); the others are plain widgets and the entry's `observe` connects them. Events are attributes,
so a misspelt one raises when the window is built.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtWidgets import QWidget

from playground.engine.app_model import AppModel
from playground.engine.runs.stored_edits import StoredEdits
from playground.ui.draw.draw_tab import DrawTab
from playground.ui.labs.activation_tab import ActivationLab
from playground.ui.labs.boundary_tab import BoundaryView
from playground.ui.labs.gradients_tab import GradientsTab
from playground.ui.labs.mistakes_tab import MistakesTab
from playground.ui.labs.weights_tab import WeightsTab
from playground.ui.network.network_source import NetworkSource
from playground.ui.network.network_tab import NetworkView
from playground.ui.session import TrainingSession
from playground.ui.training import sweep_controls
from playground.ui.training.training_tab import TrainingTab


@dataclass(frozen=True)
class TabEntry:
    attr: str                                             # the window's attribute, e.g. window.mistakes
    title: str
    make: Callable[[AppModel, TrainingSession], QWidget]
    observe: Callable[[QWidget, AppModel], None] = lambda tab, model: None


def _make_training(model: AppModel, session: TrainingSession) -> TrainingTab:
    tab = TrainingTab(model.runs, edits=StoredEdits(model.store, model.runs))   # names, notes, deletions kept
    sweep_controls.install(tab, model, session)   # the sweepButton and the sweep plot beside the curves
    return tab


def _observe_training(tab: TrainingTab, model: AppModel) -> None:
    # the curves and the runs table follow model.runs.events inside the tab; here the planned epochs
    model.events.run_started.connect(lambda record: tab.plots.set_epochs(model.config.epochs))

    def loaded(checkpoint) -> None:
        tab.plots.set_epochs(max(checkpoint.config.epochs, len(checkpoint.metrics)))
        tab.plots.refresh()
    model.events.checkpoint_loaded.connect(loaded)


def _observe_network(tab: NetworkView, model: AppModel) -> None:
    model.events.dataset_changed.connect(tab.source.set_dataset)


def _observe_gradients(tab: GradientsTab, model: AppModel) -> None:
    model.events.step.connect(lambda record: tab.add_step(record.epoch_position, record.grad_norms))
    model.events.layers.connect(tab.add_layers)
    model.events.run_started.connect(lambda record: record.fresh and tab.reset_live())


def _observe_boundary(tab: BoundaryView, model: AppModel) -> None:
    model.events.boundary.connect(tab.show_boundary)
    model.events.dataset_changed.connect(tab.set_points)
    model.events.data_opened.connect(lambda record: tab.set_points(record.dataset))


def _observe_mistakes(tab: MistakesTab, model: AppModel) -> None:
    model.events.test.connect(tab.show_test)
    model.events.dataset_changed.connect(tab.set_dataset)
    model.events.model_changed.connect(lambda facts: facts is None and tab.set_dataset(None))


TABS: tuple[TabEntry, ...] = (
    TabEntry("training", "Training", _make_training, _observe_training),
    TabEntry("network", "Network", lambda model, session: NetworkView(NetworkSource(model, session)),
             _observe_network),
    TabEntry("activation_lab", "Activation lab", lambda model, session: ActivationLab()),
    TabEntry("gradients", "Gradients", lambda model, session: GradientsTab(), _observe_gradients),
    TabEntry("draw", "Draw", lambda model, session: DrawTab(model, session=session)),
    TabEntry("boundary", "Decision boundary", lambda model, session: BoundaryView(), _observe_boundary),
    TabEntry("mistakes", "Mistakes", lambda model, session: MistakesTab(), _observe_mistakes),
    TabEntry("weights", "Weights", lambda model, session: WeightsTab(model)),
)
