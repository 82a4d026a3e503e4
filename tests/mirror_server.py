"""A real HTTP server on 127.0.0.1 serving small MNIST-layout IDX files, standing in for the mirrors."""
import hashlib
import http.server
import threading
import time

import numpy as np
import pytest

from playground.engine.datasets import downloads
from playground.engine.datasets.idx import write_idx

FILES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz"]


@pytest.fixture
def served(tmp_path, monkeypatch):
    """Small MNIST-layout files, their MD5s standing in for torchvision's, and a server for them."""
    rng = np.random.default_rng(0)
    source = tmp_path / "source"
    source.mkdir()
    arrays = {FILES[0]: rng.integers(0, 256, (300, 28, 28)), FILES[1]: rng.integers(0, 10, 300),
              FILES[2]: rng.integers(0, 256, (100, 28, 28)), FILES[3]: rng.integers(0, 10, 100)}
    for name, array in arrays.items():
        write_idx(source / name, array)
    blobs = {name: (source / name).read_bytes() for name in FILES}
    monkeypatch.setattr(downloads, "resources",
                        lambda name: [(f, hashlib.md5(blobs[f]).hexdigest()) for f in FILES])
    state = {"mode": "ok", "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            state["requests"] += 1
            name = self.path.rsplit("/", 1)[-1]
            data = blobs.get(name)
            if data is None:
                self.send_error(404)
                return
            if state["mode"] == "wrong":
                data = data[:-1] + bytes([data[-1] ^ 1])
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if state["mode"] == "dies":
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.connection.shutdown(2)    # the server dies half-way through the file
                return
            step = 2048 if state["mode"] == "slow" else len(data)
            for start in range(0, len(data), step):
                self.wfile.write(data[start:start + step])
                if state["mode"] == "slow":
                    self.wfile.flush()
                    time.sleep(0.02)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(downloads.MIRRORS_ENV, f"http://127.0.0.1:{server.server_address[1]}/mnist")
    yield state, blobs
    server.shutdown()
    server.server_close()
