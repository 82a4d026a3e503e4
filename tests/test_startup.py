"""The friendly start: when Qt's xcb plugin cannot open a window, one line says what to do, exit 1."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground import startup

ROOT = Path(__file__).resolve().parents[1]


def _launch(env_changes: dict, drop: tuple = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_changes)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "playground"], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb check is for Linux")
def test_no_display_under_xcb_is_one_line_and_exit_1():
    result = _launch({"QT_QPA_PLATFORM": "xcb"}, drop=("DISPLAY", "WAYLAND_DISPLAY"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mlp-playground: error: Qt cannot open a window")
    assert "Traceback" not in result.stderr and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert result.stdout == ""


def test_missing_libraries_name_the_packages():
    env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}
    message = startup.display_problem(env, "linux", loads=lambda so: so != "libxcb-cursor.so.0",
                                      server_answers=lambda d: True)
    assert "sudo apt install libxcb-cursor0" in message and "\n" not in message


def test_no_display_and_no_server():
    everything = lambda so: True  # noqa: E731
    assert "DISPLAY is empty" in startup.display_problem({}, "linux", everything, lambda d: True)
    message = startup.display_problem({"DISPLAY": ":9"}, "linux", everything, lambda d: False)
    assert "DISPLAY=:9" in message
    assert startup.display_problem({"DISPLAY": ":9"}, "linux", everything, lambda d: True) is None


@pytest.mark.parametrize("env, xcb", [
    ({}, True), ({"WAYLAND_DISPLAY": "wayland-0"}, False), ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "xcb"}, True), ({"QT_QPA_PLATFORM": "wayland;xcb"}, False),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"}, True),
])
def test_which_platform_qt_will_try(env, xcb):
    assert startup.uses_xcb(env) is xcb


def test_other_platforms_and_offscreen_are_not_checked():
    nothing = lambda so: False  # noqa: E731
    assert startup.display_problem({}, "darwin", nothing, lambda d: False) is None
    assert startup.display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", nothing, lambda d: False) is None


def test_the_real_library_probe_answers():
    assert startup._loads("libc.so.6") and not startup._loads("libno-such-library.so.0")
