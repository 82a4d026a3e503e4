"""Is the process that recorded a run still alive? (A run left 'running' by a dead one is interrupted.)

A process is named by its pid and, where the system tells it, its start time: a pid reused by another
process after a crash then does not count as the recorder being alive.
"""
from __future__ import annotations

import os
import socket
import sys


def host_name() -> str:
    return socket.gethostname()


def start_token(pid: int | None = None) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None where it cannot be read."""
    pid = os.getpid() if pid is None else pid
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


def _pid_exists(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259             # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # alive, but another user's
        return True
    return True


def is_alive(pid: int | None, host: str | None, token: str | None) -> bool:
    """False only when the recorder is surely gone: same machine, and no such process (or another one that
    took over its pid). A run recorded on another machine (a shared folder) is assumed alive."""
    if pid is None:
        return False
    if host != host_name():
        return True
    if not _pid_exists(pid):
        return False
    if token is not None:
        current = start_token(pid)
        if current is not None and current != token:
            return False
    return True
