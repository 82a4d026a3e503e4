"""Copying the engine's own code into an exported script, so the script cannot drift from the app.

`inline_module` turns one engine module into standalone text: its relative imports are replaced by the
constants and functions they name, its plain imports are returned separately so the script can list them
once at the top. Anything it cannot copy faithfully raises, so a test notices when a module changes shape.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from types import FunctionType, ModuleType

# imports an exported script may use: the standard library and torch, never this package
ALLOWED_IMPORT_ROOTS = {"math", "gzip", "sys", "time", "collections", "pathlib", "torch", "typing", "__future__"}


class InlineError(RuntimeError):
    """The module uses something the exporter cannot copy into a standalone script."""


def function_source(fn: FunctionType) -> str:
    return textwrap.dedent(inspect.getsource(fn)).rstrip() + "\n"


def constant_source(name: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InlineError(f"{name} is not a plain number or string")
    return f"{name} = {value!r}\n"


def _resolve(module: ModuleType, node: ast.ImportFrom) -> ModuleType:
    if not node.level:
        return importlib.import_module(node.module or "")
    package = module.__package__ or module.__name__.rpartition(".")[0]
    return importlib.import_module("." * node.level + (node.module or ""), package)


def inline_module(module: ModuleType) -> tuple[list[str], str]:
    """(import lines, body) of a module that only needs torch and the standard library.

    The module docstring becomes a comment; `from __future__` lines are dropped."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    imports: list[str] = []
    parts: list[str] = []
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        doc = body[0].value.value.strip()
        parts.append("".join(f"# {line}".rstrip() + "\n" for line in doc.splitlines()))
        body = body[1:]
    for node in body:
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("playground.")):
            source_module = _resolve(module, node)
            for alias in node.names:
                value = getattr(source_module, alias.name)
                if isinstance(value, FunctionType):
                    parts.append(function_source(value))
                else:
                    parts.append(constant_source(alias.asname or alias.name, value))
            continue
        text = ast.get_source_segment(source, node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            roots = ([a.name.split(".")[0] for a in node.names] if isinstance(node, ast.Import)
                     else [(node.module or "").split(".")[0]])
            if any(root not in ALLOWED_IMPORT_ROOTS for root in roots):
                raise InlineError(f"{module.__name__} imports {text!r}, which an exported script cannot")
            if roots != ["__future__"]:
                imports.append(text)
            continue
        decorators = getattr(node, "decorator_list", None) or []
        start = (decorators[0].lineno if decorators else node.lineno) - 1
        lines = source.splitlines()[start:node.end_lineno]
        parts.append("\n".join(lines) + "\n")
    return imports, "\n\n".join(p.rstrip("\n") + "\n" for p in parts)
