"""What the train, evaluate and gradients commands do, on top of the engine."""
from __future__ import annotations

import argparse
import json
import sys

import torch

from playground.cli_config import config_from_args
from playground.engine.runs.checkpoint import save_checkpoint
from playground.engine.datasets import load_dataset
from playground.engine.datasets import describe
from playground.engine.devices import device_label, resolve_device
from playground.engine.errors import PlaygroundError
from playground.engine.inspect.gradient_demo import first_last_ratio, gradient_report
from playground.engine.model import architecture
from playground.engine.train.records import EpochRecord, RunEnd, StepRecord
from playground.engine.runs.history import write_metrics_csv
from playground.engine.train.training import Trainer, evaluate_test_split


def _progress_bar(record: StepRecord, steps_per_epoch: int) -> str:
    within = (record.step - 1) % steps_per_epoch + 1
    filled = int(24 * within / steps_per_epoch)
    return (f"\repoch {record.epoch} [{'#' * filled}{'.' * (24 - filled)}] {within}/{steps_per_epoch} "
            f"loss {record.loss:.4f} {record.samples_per_second:,.0f} samples/s")


def _output_note(config) -> str:
    return "" if config.output_activation == "none" else f" ({config.output_activation} on the output layer)"


def train(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    dataset = None
    if config.dataset.startswith("csv:"):
        # your table: its batch size and epochs fit its size, unless given (a flag or a --config file)
        from playground.engine.datasets.tables import with_table_defaults
        dataset = load_dataset(config)
        if not getattr(args, "config", None):
            given = {k for k, v in vars(args).items() if v is not None}
            config = with_table_defaults(config, dataset, given)
    trainer = Trainer(config, dataset)
    show_bar = not args.json and sys.stderr.isatty()
    if not args.json:
        if config.dataset.startswith(("csv:", "folder:")):
            print(f"{config.dataset}: {describe(trainer.dataset)}", file=sys.stderr)
        for note in trainer.dataset.notes:
            print(f"  {note}", file=sys.stderr)
        print(f"training {config.dataset} on {device_label(trainer.device)}: "
              f"{architecture(config, trainer.dataset.n_inputs, trainer.dataset.n_outputs)} "
              f"{config.activation}{_output_note(config)}, {config.optimizer} lr {config.lr:g}, "
              f"batch {config.batch_size}, {config.epochs} epochs", file=sys.stderr)
    end: RunEnd | None = None
    recorder = None if args.no_record else _recorder(trainer)
    try:
        for record in (recorder.watch(trainer.run()) if recorder is not None else trainer.run()):
            if isinstance(record, StepRecord) and show_bar:
                print(_progress_bar(record, trainer.steps_per_epoch), end="", file=sys.stderr, flush=True)
            elif isinstance(record, EpochRecord):
                if show_bar:
                    print("\r\033[K", end="", file=sys.stderr)
                if args.json:
                    print(json.dumps(record.to_json_dict()), flush=True)
                elif record.regression:
                    print(f"epoch {record.epoch:3d}/{config.epochs}  train loss {record.train_loss:.4f} "
                          f"R² {record.train_r2:.4f}  test loss {record.test_loss:.4f} R² {record.test_r2:.4f} "
                          f"RMSE {record.test_rmse:.4f}  {record.seconds:.2f}s", flush=True)
                else:
                    print(f"epoch {record.epoch:3d}/{config.epochs}  train loss {record.train_loss:.4f} "
                          f"acc {record.train_accuracy:.4f}  test loss {record.test_loss:.4f} "
                          f"acc {record.test_accuracy:.4f}  {record.seconds:.2f}s", flush=True)
            elif isinstance(record, RunEnd):
                end = record
    except torch.cuda.OutOfMemoryError:
        raise PlaygroundError("CUDA ran out of memory: use a smaller network or batch size, or --device cpu") from None
    if recorder is not None and recorder.run_id is not None and not args.json:
        print(f"recorded as run {recorder.run_id} (mlp-playground runs show {recorder.run_id})", file=sys.stderr)
    if args.metrics_csv:
        write_metrics_csv(args.metrics_csv, [(None, trainer.history)])
    if end is not None and end.status == "diverged":
        if show_bar:
            print("\r\033[K", end="", file=sys.stderr)
        print(f"{'mlp-playground'}: error: {end.message}", file=sys.stderr)
        return 3
    if args.save:
        d = trainer.dataset
        save_checkpoint(args.save, trainer.config, trainer.model, d.n_inputs, d.class_names or ["value"], d.kind,
                        trainer.history, d.recipe)
        if not args.json:
            print(f"saved {args.save}", file=sys.stderr)
    return 0


def _recorder(trainer: Trainer):
    """The recorder of this run in the user's run store (None when it cannot record: it says why once)."""
    from playground.engine.runs.recorder import Recorder, trainer_model_bytes
    from playground.runs_commands import open_store
    store = open_store(to_read=False)
    if not store.recording:
        return None
    recorder = Recorder(store, trainer_model_bytes(trainer))
    recorder.start_trainer(trainer)
    return recorder


def evaluate(args: argparse.Namespace) -> int:
    from playground.runs_commands import load_model
    loaded = load_model(args)
    if loaded is None:
        raise PlaygroundError("say which model to measure: --load CKPT or --run ID")
    config = loaded.config.replace(**{k: v for k, v in {"dataset": args.dataset, "data_dir": args.data_dir,
                                                       "classes": args.classes}.items() if v is not None})
    device = resolve_device(args.device or "auto")
    data = load_dataset(config, need_train=False, recipe=loaded.recipe)   # a table is read as it was trained
    if data.n_inputs != loaded.n_inputs or data.n_outputs != loaded.n_classes:
        raise PlaygroundError(f"the checkpoint takes {loaded.n_inputs} inputs and {loaded.n_classes} outputs; "
                              f"{config.dataset} has {data.n_inputs} and {data.n_outputs}")
    evaluation = evaluate_test_split(loaded.model, data, config.loss, device)
    n = len(data.test_y)
    if data.is_regression:
        result = {"loss": evaluation.loss, "rmse": evaluation.rmse * data.target_scale[1], "r2": evaluation.r2,
                  "samples": n}
    else:
        result = {"loss": evaluation.loss, "accuracy": evaluation.accuracy, "samples": n}
    if args.json:
        print(json.dumps(result))
    elif data.is_regression:
        print(f"{config.dataset} test split: R² {result['r2']:.4f}, RMSE {result['rmse']:.4f}, "
              f"loss {result['loss']:.4f} on {n:,} samples")
    else:
        print(f"{config.dataset} test split: accuracy {result['accuracy']:.4f}, loss {result['loss']:.4f} "
              f"on {n:,} samples")
    return 0


def download_bar(record, width: int = 24) -> str:
    """'[#########...............]  38%  MNIST train-images… (1/4): 3.7 of 9.9 MB, 1.2 MB/s, 5 s left'."""
    fraction = record.fraction if record.fraction is not None else 0.0
    filled = int(width * min(fraction, 1.0))
    return f"[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%}  {record.text()}"


def download(args: argparse.Namespace) -> int:
    from playground.engine.datasets.downloads import download_records, raw_folder
    tty = sys.stderr.isatty()
    for record in download_records(args.name, args.data_dir):
        if tty:
            print(f"\r\033[K{download_bar(record)}", end="", file=sys.stderr, flush=True)
        if record.finished:
            if tty:
                print("", file=sys.stderr)
            else:
                print(download_bar(record), file=sys.stderr, flush=True)
    print(f"{args.name} is in {raw_folder(args.name, args.data_dir)}", file=sys.stderr)
    return 0


def gradients(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    report = gradient_report(config)
    if args.json:
        print(json.dumps({"layers": [r.to_json_dict() for r in report]}))
        return 0
    print(f"{'layer':8s} {'|dW|':>10s} {'|db|':>10s} {'act mean':>9s} {'act std':>9s} {'saturated':>9s}")
    for r in report:
        print(f"{r.name:8s} {r.weight_grad_norm:10.3e} {r.bias_grad_norm:10.3e} {r.activation_mean:9.4f} "
              f"{r.activation_std:9.4f} {r.saturated_fraction:9.2%}")
    print(f"first/last weight-gradient ratio: {first_last_ratio(report):.3g}")
    return 0


def data(args: argparse.Namespace) -> int:
    """Describe a table without training: columns, types, missing cells, features, label, task, classes."""
    from playground.engine.data_options import source_path
    from playground.engine.datasets.tables import describe_table, describe_text
    source = source_path(args.source) if args.source.startswith("csv:") else args.source
    info = describe_table(source, args.label_column, args.task or "auto",
                          args.max_levels if args.max_levels is not None else 50)
    print(json.dumps(info) if args.json else describe_text(info))
    return 0
