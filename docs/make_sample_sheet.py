"""Writes docs/sample-digits.png: a grid of built-in digits, one row per class, as the model sees them."""
from pathlib import Path

import numpy as np
from PIL import Image

from playground.engine.datasets.synthetic_digits import sample_sheet

if __name__ == "__main__":
    sheet = sample_sheet(per_class=16).numpy()
    out = Path(__file__).with_name("sample-digits.png")
    Image.fromarray(np.asarray(sheet)).resize((sheet.shape[1] * 2, sheet.shape[0] * 2), Image.NEAREST).save(out)
    print(f"wrote {out}")
