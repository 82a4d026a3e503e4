"""Can Qt open a window here? Checked before the QApplication is made, so a missing X server or library
gives one line that says what to do instead of Qt's multi-line abort."""
from __future__ import annotations

import ctypes
import os
import sys
from typing import Callable, Mapping

# Libraries Qt 6's xcb plugin loads, and the Debian/Ubuntu package that provides each.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
}
OFFSCREEN_HINT = "or set QT_QPA_PLATFORM=offscreen to run without a screen"


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _x_server_answers(display: str) -> bool:
    """Whether an X server accepts a connection on `display` (asked through libxcb, as Qt would)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def uses_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt will try its xcb (X11) plugin first, from QT_QPA_PLATFORM and the session."""
    requested = env.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].split(":")[0] == "xcb"
    return not env.get("WAYLAND_DISPLAY")   # Qt picks Wayland in a Wayland session, else X11


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None,
                    loads: Callable[[str], bool] = _loads,
                    server_answers: Callable[[str], bool] = _x_server_answers) -> str | None:
    """None when Qt's window can probably open; else one sentence naming what to do."""
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux") or not uses_xcb(env):
        return None
    missing = [package for soname, package in XCB_LIBRARIES.items() if not loads(soname)]
    if missing:
        return (f"Qt cannot open a window: the X11 libraries it needs are missing; install them with "
                f"'sudo apt install {' '.join(missing)}' (Debian/Ubuntu), {OFFSCREEN_HINT}")
    display = env.get("DISPLAY", "")
    if not display:
        return (f"Qt cannot open a window: no X display is set (DISPLAY is empty); run it from a desktop "
                f"session or with ssh -X, {OFFSCREEN_HINT}")
    if not server_answers(display):
        return (f"Qt cannot open a window: no X server answers on DISPLAY={display}; start one or fix "
                f"DISPLAY, {OFFSCREEN_HINT}")
    return None
