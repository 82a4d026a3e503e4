"""The Qt-free engine: config, registries, model, datasets, training loop, probes, checkpoints."""
