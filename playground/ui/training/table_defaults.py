"""The panel's note on a table's own defaults: the batch size and epochs that fit its size, shown under
the epochs while your table is the dataset, with a button to go back to them. The values in the spin
boxes are the user's to change (they win, and are remembered for the file)."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from playground.engine.data_options import is_data_source, source_path
from playground.ui.buttons import button
from playground.ui.window.table_memory import note_user_values

TIP = ("Your table's defaults come from its size: the batch grows with the square root of the training rows "
       "(about 16 for 150 rows, 128 from about 6,000) and the epochs give about 3,000 optimizer steps in all "
       "(from 5 to 200 epochs), so a small table gets enough steps to converge. Change batch size or "
       "epochs freely: your values are kept for this file.")


class TableDefaultsNote(QWidget):
    def __init__(self, panel) -> None:
        super().__init__()
        self.setObjectName("tableDefaults")
        self.panel = panel
        self._defaults: dict[str, dict] = {}     # dataset name -> its table's defaults
        self.label = QLabel()
        self.label.setObjectName("tableDefaultsNote")
        self.label.setWordWrap(True)
        self.label.setToolTip(TIP)
        self.use = button("useTableDefaultsButton", "Use them", "Set the batch size and epochs back to this "
                          "table's defaults (the values suggested for its size).")
        self.use.clicked.connect(self._use)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.use)
        for signal in (panel.batch_size.valueChanged, panel.epochs.valueChanged, panel.dataset.currentIndexChanged):
            signal.connect(self.refresh)
        panel.config_changed.connect(self._remember)
        self.refresh()

    def set_defaults(self, name: str, defaults: dict | None) -> None:
        """What reading your table found (the window calls this once it is loaded)."""
        if defaults:
            self._defaults[name] = dict(defaults)
        self.refresh()

    def current(self) -> dict | None:
        return self._defaults.get(self.panel.dataset.currentData())

    def refresh(self, *_args) -> None:
        defaults = self.current()
        self.setVisible(defaults is not None)
        if defaults is None:
            return
        batch, epochs = self.panel.batch_size.value(), self.panel.epochs.value()
        mine = (batch, epochs) != (defaults["batch_size"], defaults["epochs"])
        self.label.setText(f"This table's defaults: batch size {defaults['batch_size']}, {defaults['epochs']} "
                           f"epochs{' (yours differ)' if mine else ''}")
        self.use.setEnabled(mine)

    def _use(self) -> None:
        defaults = self.current()
        if defaults is not None:
            self.panel.batch_size.setValue(defaults["batch_size"])
            self.panel.epochs.setValue(defaults["epochs"])

    def _remember(self, config) -> None:
        defaults = self._defaults.get(config.dataset)
        if defaults is not None and is_data_source(config.dataset):
            note_user_values(source_path(config.dataset), config, defaults)
