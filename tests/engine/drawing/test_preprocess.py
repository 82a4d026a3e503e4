import torch
import torch.nn.functional as F

from playground.engine.drawing.preprocess import normalize_digits, preprocess_drawing


def _com(img):
    idx = torch.arange(img.shape[-1]).float()
    m = img.sum()
    return float((img.sum(1) * idx).sum() / m), float((img.sum(0) * idx).sum() / m)


def _disc(size, cy, cx, r):
    yy, xx = torch.meshgrid(torch.arange(size).float(), torch.arange(size).float(), indexing="ij")
    return ((yy - cy) ** 2 + (xx - cx) ** 2 < r * r).float()


def test_small_large_and_off_centre_drawings_normalise_alike():
    small = _disc(280, 40, 230, 15)
    large = _disc(280, 150, 120, 110)
    a, b = normalize_digits(small), normalize_digits(large)
    assert (a - b).abs().mean() < 0.02
    cy, cx = _com(a)
    assert abs(cy - 14) < 0.3 and abs(cx - 14) < 0.3


def test_longer_side_is_twenty_pixels_keeping_aspect():
    bar = torch.zeros(200, 200)
    bar[20:180, 90:110] = 1  # tall and thin: height 160, width 20
    out = normalize_digits(bar)
    rows = (out > 0.5).any(1).sum().item()
    cols = (out > 0.5).any(0).sum().item()
    assert 19 <= rows <= 21 and 2 <= cols <= 4


def test_real_mnist_is_nearly_unchanged(shared_mnist):
    from playground.engine.datasets.idx import read_idx
    x = read_idx(shared_mnist / "MNIST" / "raw" / "t10k-images-idx3-ubyte.gz")[:500].float() / 255
    assert (normalize_digits(x) - x).abs().mean() < 0.04


def test_upscaled_mnist_placed_off_centre_comes_back(shared_mnist):
    from playground.engine.datasets.idx import read_idx
    x = read_idx(shared_mnist / "MNIST" / "raw" / "t10k-images-idx3-ubyte.gz")[:50].float() / 255
    canvas = torch.zeros(50, 400, 400)
    canvas[:, 10:150, 250:390] = F.interpolate(x[:, None], size=(140, 140), mode="bilinear")[:, 0]
    assert (normalize_digits(canvas) - x).abs().mean() < 0.05


def test_blank_stays_blank_and_colour_is_accepted():
    assert preprocess_drawing(torch.zeros(100, 100)).sum() == 0
    rgb = torch.zeros(64, 64, 3)
    rgb[20:40, 30:34] = 255
    out = preprocess_drawing(rgb)
    assert out.dtype == torch.uint8 and out.shape == (28, 28) and int(out.max()) == 255
