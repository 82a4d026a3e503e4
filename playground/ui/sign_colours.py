"""The one colour convention for a sign, on every tab: blue is positive, orange negative.

The pair (after the best-known neural-network playground) reads on light and dark backgrounds and is told
apart by the common forms of colour blindness (the two differ in lightness too). Weights, node activations,
attribution maps and predicted values all use it, and every legend says it in the same words.
"""
from __future__ import annotations

import numpy as np

POSITIVE = np.array([8, 119, 189], dtype=np.float32)     # blue
NEGATIVE = np.array([245, 147, 34], dtype=np.float32)    # orange
NEUTRAL = np.array([236, 236, 236], dtype=np.float32)    # zero
POSITIVE_HEX, NEGATIVE_HEX = "#0877bd", "#f59322"

SIGN_LEGEND = (f"<b style='color:{POSITIVE_HEX}'>blue</b> positive, "
               f"<b style='color:{NEGATIVE_HEX}'>orange</b> negative")
