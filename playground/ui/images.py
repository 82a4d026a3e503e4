"""numpy images to Qt pixmaps."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap


def gray_pixmap(image: np.ndarray, size: int) -> QPixmap:
    """A (H, W) uint8 image as a size x size pixmap, scaled without smoothing so pixels stay visible."""
    data = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = data.shape
    qimage = QImage(data.data, w, h, w, QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation)
