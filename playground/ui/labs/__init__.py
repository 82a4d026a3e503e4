"""The inspection tabs: activation lab, gradients, weights, mistakes and the decision boundary."""
