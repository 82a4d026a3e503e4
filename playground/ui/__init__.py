"""The Qt layer: displays and collects input; all computing happens in playground.engine."""
