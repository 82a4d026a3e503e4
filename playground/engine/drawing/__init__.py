"""Drawn digits: rendering strokes, MNIST-style preprocessing, pictures from disk and the user's own digits."""
