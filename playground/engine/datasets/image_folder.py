"""Your own images: a folder with one sub-folder per class (torchvision's `ImageFolder` layout) -> 28x28 digits.

Files are read with PIL (through torchvision's list of image extensions), made grayscale with the ink bright
on black (a light background is inverted), and either normalised exactly as drawings are (crop to the ink,
fit 20 px, centre of mass into 28x28: `preprocess.normalize_digits`) or simply resized to 28x28 (the
`image_fit` setting). The result is cached in the data folder as uint8 arrays, keyed by the file list with
sizes and modification times, so an edited folder is read again.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from playground.engine.data_options import IMAGE_FITS
from playground.engine.errors import PlaygroundError
from playground.engine.files import atomic_write_bytes, user_data_dir
from playground.engine.drawing.preprocess import normalize_digits, to_uint8
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.splits import DEFAULT_TRAIN_FRACTION, data_seed, seeded_split

PREFIX = "folder:"
FITS = IMAGE_FITS
# Refuse anything larger before decoding it: PIL reads the size from the header, so a decompression bomb
# (a small file that decodes to gigabytes) is never allocated.
MAX_PIXELS = 40_000_000
CACHE_VERSION = 1


@dataclass(frozen=True)
class FolderScan:
    classes: list[str]
    files: list[tuple[Path, int]]      # (image file, class index)
    skipped: int                       # files that are not images (by their extension)


def _image_extensions() -> tuple[str, ...]:
    from torchvision.datasets.folder import IMG_EXTENSIONS
    return tuple(e.lower() for e in IMG_EXTENSIONS)


def scan(folder: str | Path) -> FolderScan:
    """Class folders and their image files, sorted; a PlaygroundError for a layout that cannot work."""
    root = Path(folder).expanduser()
    if not root.exists():
        raise PlaygroundError(f"{root}: no such folder")
    if not root.is_dir():
        raise PlaygroundError(f"{root} is a file, not a folder of class folders (use csv:{root} for a table)")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not classes:
        raise PlaygroundError(f"{root} has no class folders: put each class's images in its own sub-folder "
                              f"(for example {root}/cat/1.png, {root}/dog/1.png)")
    if len(classes) < 2:
        raise PlaygroundError(f"{root} has a single class folder ('{classes[0]}'); a classifier needs at least two")
    extensions = _image_extensions()
    files: list[tuple[Path, int]] = []
    skipped = 0
    for index, name in enumerate(classes):
        found = 0
        for path in sorted((root / name).rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            if path.suffix.lower() in extensions:
                files.append((path, index))
                found += 1
            else:
                skipped += 1
        if found == 0:
            raise PlaygroundError(f"class folder '{name}' in {root} holds no images (png, jpg, bmp, …)")
    return FolderScan(classes, files, skipped)


def read_image(path: Path, fit: str) -> np.ndarray:
    """One image file -> (28, 28) float32 in [0, 1], ink bright on black (`fit` 'resize'), or the grayscale
    image itself, ink bright, for `normalize_digits` to fit ('digit')."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise PlaygroundError(f"{path} is {width}x{height} pixels, too large to read safely (a "
                                          f"possible decompression bomb; the limit is {MAX_PIXELS:,} pixels)")
                image = ImageOps.exif_transpose(image).convert("L")
                if fit == "resize":
                    image = image.resize((28, 28), Image.Resampling.LANCZOS)
                pixels = np.asarray(image, dtype=np.float32) / 255.0
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PlaygroundError(f"{path} was refused as a possible decompression bomb (it would decode to more "
                              f"than {MAX_PIXELS:,} pixels)") from None
    except UnidentifiedImageError:
        raise PlaygroundError(f"{path} is not an image PIL can read, though its name says it is one") from None
    except (OSError, SyntaxError, ValueError) as exc:   # truncated or damaged files
        raise PlaygroundError(f"{path} is a damaged image ({str(exc).splitlines()[0][:120] or 'unreadable'}); "
                              f"remove or replace it") from None
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    if border.mean() > 0.5:    # dark ink on a light background: make the ink bright, as MNIST's is
        pixels = 1.0 - pixels
    return pixels


def _fingerprint(found: FolderScan, fit: str) -> str:
    digest = hashlib.sha256(f"{CACHE_VERSION} {fit} {found.classes}".encode())
    for path, label in found.files:
        stat = path.stat()
        digest.update(f"{path}\0{label}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def _cache_path(root: Path, fingerprint: str) -> Path:
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return user_data_dir() / "cache" / "folders" / f"{name}-{fingerprint}.npz"


def read_folder(folder: str | Path, fit: str = "digit", use_cache: bool = True) -> tuple[torch.Tensor, torch.Tensor,
                                                                                         list[str], int]:
    """(uint8 images N x 28 x 28, labels N, class names, files skipped) from the folder or its cache."""
    if fit not in FITS:
        raise PlaygroundError(f"unknown image fit '{fit}'; choose one of: {', '.join(FITS)}")
    root = Path(folder).expanduser()
    found = scan(root)
    cache = _cache_path(root, _fingerprint(found, fit))
    if use_cache and cache.is_file():
        try:
            with np.load(cache) as saved:
                return (torch.from_numpy(saved["images"]), torch.from_numpy(saved["labels"]), found.classes,
                        found.skipped)
        except (OSError, ValueError, KeyError):
            pass    # a damaged cache is read again from the images
    pixels = [read_image(p, fit) for p, _ in found.files]
    if fit == "digit":
        # normalise images of the same size together: one batched call per size
        images = torch.empty(len(pixels), 28, 28)
        by_shape: dict[tuple[int, int], list[int]] = {}
        for i, p in enumerate(pixels):
            by_shape.setdefault(p.shape, []).append(i)
        for indices in by_shape.values():
            images[indices] = normalize_digits(torch.from_numpy(np.stack([pixels[i] for i in indices])))
    else:
        images = torch.from_numpy(np.stack(pixels))
    images = to_uint8(images)
    labels = torch.tensor([label for _, label in found.files], dtype=torch.long)
    if use_cache:
        buffer = io.BytesIO()
        np.savez(buffer, images=images.numpy(), labels=labels.numpy())
        try:
            atomic_write_bytes(cache, buffer.getvalue())
        except OSError:
            pass    # no cache is only slower
    return images, labels, found.classes, found.skipped


def load_folder(folder: str | Path, fit: str = "digit", seed: int = 0,
                train_fraction: float = DEFAULT_TRAIN_FRACTION, regenerate: int = 0,
                use_cache: bool = True) -> Dataset:
    """The folder as an image Dataset with a seeded train/test split."""
    images, labels, classes, skipped = read_folder(folder, fit, use_cache)
    g = torch.Generator().manual_seed(data_seed(seed, regenerate))
    train, test = seeded_split(len(labels), train_fraction, g)
    return Dataset(f"{PREFIX}{Path(folder).expanduser()}", "image", images[train], labels[train], images[test],
                   labels[test], classes, skipped_files=skipped)


def describe(dataset: Dataset) -> str:
    n = len(dataset.test_y) + (len(dataset.train_y) if dataset.train_y is not None else 0)
    skipped = dataset.skipped_files
    note = f"; {skipped} file{'s' if skipped != 1 else ''} that are not images skipped" if skipped else ""
    return f"{n:,} images in {dataset.n_classes} classes ({', '.join(dataset.class_names[:6])}" \
           f"{', …' if dataset.n_classes > 6 else ''}){note}"
