"""Looking inside a network: probes, weight snapshots and images, the network picture, gradients, boundary, mistakes."""
