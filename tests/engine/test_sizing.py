from playground.engine.config import TrainConfig
from playground.engine.sizing import size_report


def test_a_small_network_is_sized_in_kilobytes_not_zero_megabytes():
    small = size_report(TrainConfig(dataset="moons", hidden=(8,), device="cpu")).summary()
    assert " kB to train" in small and "0.0 MB" not in small
    large = size_report(TrainConfig(hidden=(256, 128), device="cpu")).summary()
    assert " MB to train" in large
