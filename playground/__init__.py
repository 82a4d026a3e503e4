"""MLP Playground: build, train and look inside multilayer perceptrons."""
__version__ = "0.1.0"
