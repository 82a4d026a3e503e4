"""Plain-callback events, as napari's models emit them: the engine's models call `emit`, views `connect`.

No Qt here: a model emits on the thread that changed it, and the application model only changes on the
GUI thread (the worker's records reach it through the window), so views may touch widgets in a callback.
"""
from __future__ import annotations

from typing import Any, Callable


class EventEmitter:
    """Named events with any number of subscribers, called in the order they connected."""

    def __init__(self) -> None:
        self._subscribers: dict[str, list[Callable[..., Any]]] = {}

    def connect(self, name: str, callback: Callable[..., Any]) -> None:
        self._subscribers.setdefault(name, []).append(callback)

    def disconnect(self, name: str, callback: Callable[..., Any]) -> None:
        callbacks = self._subscribers.get(name, [])
        if callback in callbacks:
            callbacks.remove(callback)

    def emit(self, name: str, *args: Any) -> None:
        for callback in list(self._subscribers.get(name, ())):
            callback(*args)
