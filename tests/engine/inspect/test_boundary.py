"""The engine must never import Qt. Two checks that can fail:
- every engine module is imported in a fresh interpreter with PySide6/pyqtgraph blocked (with a negative
  control proving the blocker does block a Qt import);
- no engine source file imports Qt anywhere, not even lazily inside a function.
"""
import pytest
import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import playground.engine

QT = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")
BLOCKER = r"""
import sys, importlib, pkgutil
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in %r:
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
""" % (QT,)
ENGINE = BLOCKER + r"""
import playground.engine as e
names = [m.name for m in pkgutil.walk_packages(e.__path__, 'playground.engine.')]
for name in names:
    importlib.import_module(name)
import playground.commands, playground.cli, playground.startup
assert not [m for m in sys.modules if m.split('.')[0] in %r]
print('\n'.join(names))
""" % (QT,)


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_every_engine_module_imports_with_qt_blocked():
    result = _run(ENGINE)
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())
    assert {"playground.engine.train.training", "playground.engine.registry", "playground.engine.sizing",
            "playground.engine.datasets.catalog", "playground.engine.datasets.synthetic_digits"} <= imported


@pytest.mark.slow
def test_the_blocker_blocks_a_qt_import():
    result = _run(BLOCKER + "import playground.ui.settings\n")
    assert result.returncode != 0 and "ImportError: blocked: PySide6" in result.stderr


def _qt_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] in QT]
    return found


def test_no_engine_file_imports_qt_even_inside_a_function():
    files = list(Path(playground.engine.__file__).parent.rglob("*.py"))
    assert len(files) > 20
    assert [hit for f in files for hit in _qt_imports(f)] == []


def test_the_source_scan_finds_a_qt_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6.QtCore import QObject\n    import pyqtgraph as pg\n")
    assert len(_qt_imports(bad)) == 2


def test_engine_has_modules_to_check():
    names = [m.name for m in pkgutil.walk_packages(playground.engine.__path__, "playground.engine.")]
    assert "playground.engine.train.training" in names and "playground.engine.datasets.synthetic_digits" in names
