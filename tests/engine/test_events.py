from playground.engine.events import EventEmitter


def test_subscribers_are_called_in_order_with_the_arguments_and_can_leave():
    events = EventEmitter()
    calls = []
    first = lambda x: calls.append(("first", x))  # noqa: E731
    events.connect("changed", first)
    events.connect("changed", lambda x: calls.append(("second", x)))
    events.emit("changed", 1)
    events.disconnect("changed", first)
    events.emit("changed", 2)
    events.emit("nobody listens", 3)
    assert calls == [("first", 1), ("second", 1), ("second", 2)]
