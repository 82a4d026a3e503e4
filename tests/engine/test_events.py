import pytest

from playground.engine.events import EmitterGroup


def test_subscribers_are_called_in_order_with_the_arguments_and_can_leave():
    events = EmitterGroup(changed="x: the new value")
    calls = []
    first = lambda x: calls.append(("first", x))  # noqa: E731
    events.changed.connect(first)
    events.changed.connect(lambda x: calls.append(("second", x)))
    events.changed(1)
    events.changed.disconnect(first)
    events.changed.emit(2)
    assert calls == [("first", 1), ("second", 1), ("second", 2)]
    assert events.names == ("changed",)


def test_a_misspelt_event_raises_instead_of_subscribing_to_nothing():
    events = EmitterGroup(run_added="(run, position)")
    with pytest.raises(AttributeError, match="run_addd.*run_added"):
        events.run_addd.connect(print)


def test_an_event_cannot_be_declared_twice():
    events = EmitterGroup(changed="")
    with pytest.raises(ValueError):
        events.add(changed="again")
