"""Device choice and memory budget, with the CUDA branches run on any machine by faking torch.cuda."""
import zipfile

import pytest
import torch

from playground.engine import devices, model
from playground.engine.runs.checkpoint import load_checkpoint, save_checkpoint
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.sizing import size_report
from playground.engine.train.training import Trainer


@pytest.fixture
def fake_gpu(monkeypatch):
    """Two visible 'GPUs' with 8 GiB free each."""
    monkeypatch.setattr(torch.version, "cuda", "12.4")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=0: f"Fake GPU {i}")
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device=None: (8 * 2**30, 16 * 2**30))


def test_auto_picks_cuda_when_there_is_one(fake_gpu):
    assert devices.resolve_device("auto") == torch.device("cuda")
    assert devices.resolve_device("cuda:1") == torch.device("cuda", 1)
    with pytest.raises(PlaygroundError, match="has 2 CUDA device"):
        devices.resolve_device("cuda:2")


def test_cuda_labels_and_device_list(fake_gpu):
    assert devices.device_label(torch.device("cuda", 1)) == "cuda:1 Fake GPU 1"
    assert devices.device_label(torch.device("cuda")) == "cuda:0 Fake GPU 0"
    assert devices.cuda_devices() == [("cuda:0", "cuda:0 Fake GPU 0"), ("cuda:1", "cuda:1 Fake GPU 1")]


def test_without_cuda_auto_is_cpu_and_cuda_is_refused(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(devices, "_mps_available", lambda: False)
    assert devices.resolve_device("auto") == torch.device("cpu")
    assert devices.cuda_devices() == []
    assert devices.cuda_unavailable_reason()
    with pytest.raises(PlaygroundError, match="use --device cpu or auto"):
        devices.resolve_device("cuda")
    assert devices.device_label(torch.device("cpu")).startswith("CPU (")


def test_gpu_memory_budget_is_free_gpu_memory(fake_gpu):
    budget, what = model._memory_budget(torch.device("cuda", 0))
    assert budget == int(8 * 2**30 * 0.9) and what == "free GPU memory"
    # 9 layers of 30,000: about 32 GB with Adam, over the fake GPU's 8 GiB but a figure a CPU check may pass
    config = TrainConfig(hidden=(30_000,) * 9, device="auto")
    report = size_report(config)
    assert report.device == torch.device("cuda") and not report.fits
    assert "free GPU memory" in report.problem


def test_size_report_uses_the_datasets_real_widths():
    assert size_report(TrainConfig(dataset="moons", hidden=(8,), device="cpu")).architecture == "2-8-2"
    assert size_report(TrainConfig(dataset="spiral", classes=4, hidden=(8,), device="cpu")).architecture == "2-8-4"
    assert size_report(TrainConfig(hidden=(16,), device="cpu")).architecture == "784-16-10"


def test_size_report_says_when_the_device_is_missing(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    report = size_report(TrainConfig(device="cuda"))
    assert report.device is None and "cuda" in report.problem


def test_a_checkpoint_saved_on_a_gpu_loads_on_a_cpu_machine(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    trainer = Trainer(TrainConfig(dataset="moons", hidden=(8,), epochs=1, device="cpu", dropout=(0.0,)))
    plain = tmp_path / "cpu.pt"
    save_checkpoint(plain, trainer.config, trainer.model, 2, ["a", "b"], "points", [])
    # rewrite the storages' location tags as torch.save writes them for CUDA tensors
    gpu = tmp_path / "gpu.pt"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(gpu, "w", zipfile.ZIP_STORED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("data.pkl"):
                assert b"X\x03\x00\x00\x00cpu" in data
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            out.writestr(info, data)
    with pytest.raises(RuntimeError, match="CUDA"):
        torch.load(gpu, weights_only=True)          # what a load without map_location does
    loaded = load_checkpoint(gpu)
    weight = next(iter(loaded.model.parameters()))
    assert weight.device.type == "cpu"
    assert torch.equal(weight, next(iter(trainer.model.parameters())).cpu())


class _FakeGpuDevice(str):
    """Reads as 'cuda' to the trainer's branch checks while torch still gets 'cpu'."""
    type = "cuda"


def test_divergence_on_a_gpu_is_checked_at_log_points_only(small_digits):
    config = TrainConfig(hidden=(64,), lr=1e9, optimizer="sgd", init="normal-1", batch_size=8, epochs=1,
                         device="cpu", augment=False)
    trainer = Trainer(config, small_digits)
    trainer.device = _FakeGpuDevice("cpu")
    records = list(trainer.run())
    end = records[-1]
    assert end.status == "diverged"
    # the GPU branch avoids a sync per step: it only notices at a log point
    assert end.step % trainer.log_every == 0
    cpu = Trainer(config, small_digits)
    cpu_end = list(cpu.run())[-1]
    assert cpu_end.status == "diverged" and cpu_end.step <= end.step


def test_the_cpu_label_counts_the_training_threads_even_on_a_one_thread_gui_thread():
    import threading

    from playground.engine.train.threads import compute_on_one_thread
    expected = torch.get_num_threads()
    seen = []

    def gui_like():
        compute_on_one_thread()            # as the window's thread does
        seen.append(devices.device_label(torch.device("cpu")))
    t = threading.Thread(target=gui_like)
    t.start()
    t.join()
    assert seen == [f"CPU ({expected} thread{'' if expected == 1 else 's'})"]
