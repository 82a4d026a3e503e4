"""The engine must never import Qt: import all of it with PySide6 and pyqtgraph made unimportable."""
import pkgutil
import subprocess
import sys

import playground.engine

SCRIPT = r"""
import sys, importlib, pkgutil
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6', 'PyQt5', 'PyQt6'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import playground.engine as e
for m in pkgutil.walk_packages(e.__path__, 'playground.engine.'):
    importlib.import_module(m.name)
import playground.commands, playground.cli
print('ok', len(sys.modules))
"""


def test_engine_imports_without_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_engine_has_modules_to_check():
    names = [m.name for m in pkgutil.walk_packages(playground.engine.__path__, "playground.engine.")]
    assert "playground.engine.training" in names and "playground.engine.datasets.synthetic_digits" in names
