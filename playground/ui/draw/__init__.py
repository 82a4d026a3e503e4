"""The Draw tab: the canvas, predictions, saliency and teaching the network your handwriting."""
