"""Data files installed with the package: the app icon, the stylesheet, the presets, the .desktop launcher.

Read them through `playground.engine.assets` (importlib.resources), never by a path relative to the source.
"""
