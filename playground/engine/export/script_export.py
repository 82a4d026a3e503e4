"""Export a run as one readable, standalone PyTorch script (File > Export as Python script…, `export-script`).

The script needs only torch (and torchvision to download an MNIST-family set), holds the settings as
constants, and runs the app's computation: same seeded data, init, optimizer groups, in-memory loop
(randperm per epoch, sliced batches, augmentation) and evaluation. On the CPU its epoch figures match
`mlp-playground train --json` with the same options. With weights (a checkpoint or the window's model)
it writes them beside the script as a plain state_dict and starts from them.
"""
from __future__ import annotations

import datetime
import io
from pathlib import Path

import torch

from playground.engine.export import script_parts as parts
from playground.engine.config import TrainConfig
from playground.engine.datasets import IMAGE_DATASETS, POINT_DATASETS
from playground.engine.datasets.tables import PREFIX
from playground.engine.errors import PlaygroundError
from playground.engine.export.table_script import table_data
from playground.engine.files import atomic_write_bytes, user_data_dir

# the Trainer's figures: evaluation chunk and the fixed training sample the train figures are measured on
from playground.engine.train.evaluation import EVAL_CHUNK
from playground.engine.train.training import TRAIN_EVAL_SIZE

HEADER_IMPORTS = ["from __future__ import annotations", "", "import gzip", "import math", "import sys", "import time",
                  "from collections import OrderedDict", "from pathlib import Path", "",
                  "import torch", "import torch.nn.functional as F", "from torch import nn"]


def weights_path_for(script: str | Path) -> Path:
    """Where the trained weights of `run.py` go: `run.weights.pt` beside it."""
    script = Path(script)
    return script.with_name(f"{script.stem}.weights.pt")


def _data_dir_line(config: TrainConfig) -> str:
    if config.dataset == "synthetic-digits":
        where = (f"Path({str(Path(config.data_dir).expanduser().resolve())!r})" if config.data_dir
                 else 'Path(__file__).resolve().parent / "data"')
        return (f"DATA_DIR = {where}   # holds {parts.SYNTHETIC_FOLDER}/raw/*-ubyte: "
                f"mlp-playground export-data synthetic-digits DIR --seed {config.seed}\n")
    root = Path(config.data_dir).expanduser() if config.data_dir else user_data_dir()
    return (f"DATA_DIR = Path({str(root.resolve())!r})   # Data > dataset folder (--data-dir); "
            f"torchvision downloads here when empty\n")


def _device_line(config: TrainConfig) -> str:
    if config.device == "auto":
        return ('DEVICE = "cuda" if torch.cuda.is_available() else "cpu"   # Run > device: auto '
                '(use "cpu" to reproduce the app\'s CPU figures exactly)\n')
    return f"DEVICE = {config.device!r}   # Run > device\n"


def settings(config: TrainConfig, weights_name: str | None) -> str:
    image = config.dataset in IMAGE_DATASETS
    lines = [f"DATASET = {config.dataset!r}   # Data > dataset"]
    if image:
        lines.append(_data_dir_line(config).rstrip())
        lines.append(f"AUGMENT = {config.augment!r}   # Data > augment images: random shifts, turns, "
                     "sizes and stroke widths per batch")
        if config.mix_pen_digits:
            lines.append("# Data > mix in real pen digits is on in the app: its training split also holds real pen "
                         "digits (UNIPEN) drawn by its renderer. This script trains on MNIST alone; untick it in "
                         "the app (or train with --no-mix-pen-digits) to compare like with like.")
    elif config.dataset == "spiral":
        lines.append(f"CLASSES = {config.classes!r}   # Data > classes")
    elif not config.dataset.startswith(PREFIX):      # a table's classes come with its recipe
        lines.append("CLASSES = 2")
    lines += [
        f"HIDDEN = {list(config.hidden)!r}   # Network > hidden layers (widths, input side first)",
        f"DROPOUT = {list(config.dropout)!r}   # Network > dropout per hidden layer",
        f"WEIGHT_DECAY = {config.weight_decay!r}   # Regularisation > weight decay (L2)",
        f"DECAY_BIASES = {config.decay_biases!r}   # Regularisation > also decay biases",
        f"LR = {config.lr!r}   # Optimisation > learning rate",
        f"MOMENTUM = {config.momentum!r}   # Optimisation > momentum (used by 'momentum' only)",
        f"BATCH_SIZE = {config.batch_size!r}   # Optimisation > batch size",
        f"EPOCHS = {config.epochs!r}   # Optimisation > epochs",
        f"SEED = {config.seed!r}   # Run > seed: data, init, shuffling, augmentation and dropout all follow it",
        _device_line(config).rstrip(),
        (f"START_FROM = Path(__file__).resolve().with_name({weights_name!r})   # trained weights saved "
         f"beside this script; None starts from fresh weights" if weights_name
         else "START_FROM = None   # or a state_dict file of trained weights to start from"),
        f"EVAL_CHUNK = {EVAL_CHUNK}",
        f"TRAIN_EVAL_SIZE = {TRAIN_EVAL_SIZE}   # training samples the epoch's train figures are measured on",
    ]
    return "\n".join(lines) + "\n"


LOOP = '''
@torch.no_grad()
def evaluate(model, x, y):
    """Loss and accuracy in evaluation mode (dropout off), in chunks, as the app measures every epoch."""
    model.eval()
    loss_sum = torch.zeros((), device=x.device)
    correct = 0
    for start in range(0, len(y), EVAL_CHUNK):
        logits = model(x[start:start + EVAL_CHUNK])
        yy = y[start:start + EVAL_CHUNK]
        loss_sum += loss_fn(logits, yy) * len(yy)
        correct += int((torch.softmax(logits.float(), 1).max(1).indices == yy).sum())
    model.train()
    n = max(len(y), 1)
    return float(loss_sum) / n, correct / n


def main():
    device = torch.device(DEVICE)
    train_x, train_y, test_x, test_y = load_data()
    image_shape = tuple(test_x.shape[1:])
    n_inputs, n_classes = test_x[0].numel(), len(CLASS_NAMES)
    # One seeded generator draws the init, then each epoch's shuffle and augmentation, in that order.
    generator = torch.Generator().manual_seed(SEED)
    model = build_model(n_inputs, n_classes)
    init_weights(model, generator)
    if START_FROM is not None:
        model.load_state_dict(torch.load(START_FROM, map_location="cpu", weights_only=True))
    model.to(device)
    optimizer = make_optimizer(model)
    torch.manual_seed(SEED)   # dropout masks come from PyTorch's global generator
    # The whole dataset lives on the device as float tensors: no DataLoader, batches are slices.
    train_x, train_y = to_features(train_x, device).flatten(1), train_y.to(device)
    test_x, test_y = to_features(test_x, device).flatten(1), test_y.to(device)
    subset = torch.randperm(len(train_y), generator=torch.Generator().manual_seed(SEED + 1))
    subset = subset[:TRAIN_EVAL_SIZE].sort().values.to(device)
    train_eval = (train_x[subset], train_y[subset])
    steps_per_epoch = math.ceil(len(train_y) / BATCH_SIZE)
    print(f"{DATASET}: {len(train_y)} training and {len(test_y)} test samples on {device}; "
          f"network {'-'.join(map(str, [n_inputs, *HIDDEN, n_classes]))}")
    if START_FROM is not None:
        test_loss, test_acc = evaluate(model, test_x, test_y)
        print(f"epoch 0 (loaded weights)  test loss {test_loss:.4f}  test accuracy {test_acc:.4f}")
    for epoch in range(1, EPOCHS + 1):
        started = time.perf_counter()
        perm = torch.randperm(len(train_y), generator=generator).to(device)
        shuffled_x, shuffled_y = train_x[perm], train_y[perm]
        for step in range(steps_per_epoch):
            x = shuffled_x[step * BATCH_SIZE:(step + 1) * BATCH_SIZE]
            y = shuffled_y[step * BATCH_SIZE:(step + 1) * BATCH_SIZE]
            if AUGMENT:
                x = augment_batch(x.view(-1, *image_shape), generator).flatten(1)
            loss = loss_fn(model(x), y)
            if not torch.isfinite(loss):
                sys.exit(f"diverged at epoch {epoch}, step {step + 1}: the loss became infinite or NaN; "
                         f"try a lower LR (now {LR:g})")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - started
        train_loss, train_acc = evaluate(model, *train_eval)
        test_loss, test_acc = evaluate(model, test_x, test_y)
        print(f"epoch {epoch}/{EPOCHS}  train loss {train_loss:.4f} accuracy {train_acc:.4f}  "
              f"test loss {test_loss:.4f}  test accuracy {test_acc:.4f}  {seconds:.1f}s", flush=True)


if __name__ == "__main__":
    main()
'''


def export_script(config: TrainConfig, weights_name: str | None = None, source: str = "the app",
                  recipe: dict | None = None) -> str:
    """The script's text. `weights_name`: a state_dict file beside the script to start from. `recipe`: a
    table model's (from its checkpoint); without it a CSV table's recipe is fitted from the config."""
    image = config.dataset in IMAGE_DATASETS
    table = config.dataset.startswith(PREFIX)
    if not image and not table and config.dataset not in POINT_DATASETS:
        raise PlaygroundError(f"the dataset '{config.dataset}' cannot be exported to a script yet")
    imports = list(HEADER_IMPORTS)
    sections = [("Settings: the app's side panel as constants", settings(config, weights_name))]
    if table:
        if recipe is None:
            from playground.engine.datasets import load_dataset
            recipe = load_dataset(config).recipe
        table_imports, text = table_data(config, recipe)
        imports += [line for line in table_imports if line not in imports]
        sections.append(("Data: your table, read and encoded as the app does (its fitted recipe)", text))
    elif image:
        sections.append((f"Data: {config.dataset}, read from IDX files as the app reads them", parts.image_data(config)))
    else:
        sections.append((f"Data: {config.dataset}, generated here exactly as the app generates it",
                         parts.points_data(config)))
    sections.append(("Input normalisation (the app's own function): images become standardised floats",
                     parts.features()))
    if image and config.augment:
        aug_imports, aug_body = parts.augmentation()
        imports += [line for line in aug_imports if line not in imports]
        sections.append(("Augmentation (Data > augment images), copied from the app's augment.py", aug_body))
    else:
        sections.append(("Augmentation: off", "AUGMENT = False\n" if not image else ""))
    sections += [
        ("Model (Network box): an nn.Sequential with the app's layer names, so its state_dicts fit",
         parts.model_builder(config)),
        ("Init (Network > weight init)", parts.init_function(config)),
        ("Loss (Optimisation > loss)", parts.loss_function(config)),
        ("Optimizer (Optimisation > optimizer, Regularisation > weight decay)", parts.optimizer_function(config)),
        ("Training: the app's in-memory loop, with evaluation after every epoch", LOOP),
    ]
    note = ("It starts from the trained weights saved beside it (START_FROM)." if weights_name
            else "It starts from fresh weights, drawn from the seed.")
    head = (f'#!/usr/bin/env python3\n"""An MLP on {config.dataset}, exported from MLP Playground ({source}) on '
            f'{datetime.date.today().isoformat()}.\n\nIt needs only PyTorch'
            f'{" (and torchvision to download the data)" if config.dataset in parts.FOLDERS else ""}, not the '
            f'playground. Run it with `python {{script}}`.\n{note}\nIt runs the app\'s computation: the same seed, '
            f'data, init and training loop, so on the CPU its\nepoch figures match `mlp-playground train --json` '
            f'with the same options. Each block says which control\nin the app it came from: change the constants '
            f'and experiment.\n"""\n')
    body = "\n\n".join(parts.block(f"{i}. {title}", text) for i, (title, text) in enumerate(sections, 1)
                       if text.strip())
    return head + "\n".join(imports) + "\n\n\n" + body


def write_script(path: str | Path, config: TrainConfig, state_dict: dict | None = None,
                 source: str = "the app", recipe: dict | None = None) -> list[Path]:
    """Write the script (and the weights beside it when given); returns the files written."""
    path = Path(path)
    if path.suffix != ".py":
        raise PlaygroundError(f"a Python script must end in .py, got {path.name}")
    weights = weights_path_for(path) if state_dict is not None else None
    text = export_script(config, weights.name if weights else None, source, recipe).replace("{script}", path.name)
    written = []
    try:
        if weights is not None:
            buffer = io.BytesIO()
            torch.save({k: v.detach().cpu().clone() for k, v in state_dict.items()}, buffer)
            atomic_write_bytes(weights, buffer.getvalue())
            written.append(weights)
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as exc:
        raise PlaygroundError(f"cannot write {path}: {exc.strerror or exc}") from None
    written.insert(0, path)
    return written
