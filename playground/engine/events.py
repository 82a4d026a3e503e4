"""Declared events, as napari's models declare them (`events.add(name=...)`): the engine's models emit, views
connect.

Each event is an attribute of the model's `events` group, so a misspelt name raises AttributeError instead of
silently subscribing to nothing. No Qt here: a model emits on the thread that changed it, and the application
model only changes on the GUI thread (the worker's records reach it through the job runner), so views may
touch widgets in a callback.
"""
from __future__ import annotations

from typing import Any, Callable


class Event:
    """One declared event: any number of subscribers, called in the order they connected."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.doc = doc                    # what the callbacks receive
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)

    __call__ = emit

    def __repr__(self) -> str:
        return f"<Event {self.name}({self.doc})>"


class EmitterGroup:
    """A model's events, declared once with `add(name="what the callbacks receive")` and used as attributes."""

    def __init__(self, **events: str) -> None:
        self.add(**events)

    def add(self, **events: str) -> None:
        for name, doc in events.items():
            if name.startswith("_") or name in ("add", "names") or name in self.__dict__:
                raise ValueError(f"event {name!r} is declared twice or is not a valid name")
            setattr(self, name, Event(name, doc))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, value in self.__dict__.items() if isinstance(value, Event))

    def __getattr__(self, name: str) -> Event:
        # only called for names that are not declared
        raise AttributeError(f"no event named {name!r}; the declared events are: {', '.join(self.names)}")
