"""The data files ship inside the package and are read through importlib.resources."""
from pathlib import Path

from playground.engine import assets


def test_icon_svg_and_png_are_there():
    svg = assets.read_text("mlp-playground.svg")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<circle" in svg
    png = assets.read_bytes("mlp-playground.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def test_stylesheet_has_the_theme_placeholders():
    qss = assets.read_text("style.qss")
    assert "#errorBanner" in qss and "$banner_bg" in qss


def test_desktop_file_launches_the_gui_entry_point():
    desktop = assets.read_text("mlp-playground.desktop")
    assert "[Desktop Entry]" in desktop and "Exec=mlp-playground-gui" in desktop and "Icon=mlp-playground" in desktop
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert 'mlp-playground-gui = "playground.cli:console_main"' in pyproject


def test_as_path_gives_a_real_file():
    with assets.as_path("mlp-playground.svg") as path:
        assert path.is_file()


def test_top_level_resources_is_the_package_folder():
    root = Path(__file__).resolve().parents[2]
    assert (root / "resources" / "mlp-playground.svg").is_file()
