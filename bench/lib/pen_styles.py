"""The styles issue 23 names as still misread, found in real pen digits by simple rules on the trajectory.

Each rule looks at one digit's strokes (y down) in its bounding box, height 1:
- "9 curled": a 9 whose pen ends low (bottom 30 %) and moving left, left of where its last fifth began
  (the stem curls left at the bottom, like a "g").
- "7 crossed/hooked": a 7 of two or more strokes (a crossbar, or bar and stem apart), or whose first stroke
  starts with a hook (its first point more than 12 % of the height below the top bar).
- "3 narrow": a 3 at most 0.5 as wide as it is tall.
- "4 open": a 4 written in one stroke.
- "1 flag+base": a 1 with a flag (it starts below its top and left of it) and a base (its lowest 15 %
  spans at least a third of the height across).
Every other digit is "-" (its class's other styles). The rules were checked by eye on sheets of matches.
"""
from __future__ import annotations

import numpy as np

STYLES = ("9 curled", "7 crossed/hooked", "3 narrow", "4 open", "1 flag+base")


def style_of(strokes: list[np.ndarray], label: int) -> str:
    pts = np.concatenate(strokes).astype(float)
    lo, hi = pts.min(0), pts.max(0)
    height = max(hi[1] - lo[1], 1e-9)
    norm = [(np.asarray(s, float) - lo) / height for s in strokes]
    allp = np.concatenate(norm)
    width = allp[:, 0].max()
    if label == 9:
        last = norm[-1]
        if len(last) >= 5:
            tail = last[int(len(last) * 0.8):]
            if last[-1, 1] > 0.7 and last[-1, 0] < tail[0, 0] - 0.08 and last[-1, 0] < last[-2, 0]:
                return "9 curled"
    if label == 7:
        first = norm[0]
        top = first[: max(2, len(first) // 3), 1].min()
        if len(norm) >= 2 or first[0, 1] - top > 0.12:
            return "7 crossed/hooked"
    if label == 3 and width <= 0.5:
        return "3 narrow"
    if label == 4 and len(norm) == 1:
        return "4 open"
    if label == 1:
        first = norm[0]
        top_i = int(first[:, 1].argmin())
        flag = first[0, 1] > first[top_i, 1] + 0.1 and first[0, 0] < first[top_i, 0] - 0.05
        bottom = allp[allp[:, 1] > 0.85]
        base = len(bottom) > 1 and np.ptp(bottom[:, 0]) >= 0.33
        if flag and base:
            return "1 flag+base"
    return "-"


def style_table(pred: np.ndarray, labels: np.ndarray, styles: np.ndarray, sites: np.ndarray,
                writers: np.ndarray | None = None) -> None:
    """Accuracy per style (against its class's average), per site and for the hardest writers."""
    print(f"{'style':<18} {'n':>5} {'acc':>6}   class avg   most read as")
    for style in STYLES:
        m = styles == style
        digit = int(style[0])
        cls = labels == digit
        if not m.any():
            print(f"{style:<18} {0:>5}")
            continue
        wrong = pred[m & (pred != labels)]
        most = ""
        if len(wrong):
            v, c = np.unique(wrong, return_counts=True)
            most = f"{v[c.argmax()]} ({c.max()})"
        print(f"{style:<18} {m.sum():>5} {(pred[m] == labels[m]).mean():>6.3f}   {(pred[cls] == digit).mean():>9.3f}   {most}")
    print(f"{'site':<18} {'n':>5} {'acc':>6}")
    for site in sorted(set(sites.tolist())):
        m = sites == site
        print(f"{site:<18} {m.sum():>5} {(pred[m] == labels[m]).mean():>6.3f}")
    if writers is not None:
        scored = []
        for w in sorted(set(writers.tolist())):
            m = writers == w
            if m.sum() >= 10:
                scored.append(((pred[m] == labels[m]).mean(), int(m.sum()), w))
        scored.sort()
        print(f"writers with 10+ digits: {len(scored)}; the 3 hardest: "
              + ", ".join(f"{w} {acc:.2f} (n={n})" for acc, n, w in scored[:3]))
