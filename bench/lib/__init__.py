"""Code the benchmarks share (pen strokes of real and hand-written digits), imported as bench.lib.<module>."""
