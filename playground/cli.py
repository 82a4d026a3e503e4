"""`mlp-playground`: the window by default, or the train / sweep / evaluate / gradients / export-script /
export-data / lr-find / download / data / runs commands."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from playground.cli_config import config_from_args  # noqa: F401  (kept importable from here)

PROG = "mlp-playground"
COMMANDS = ("train", "sweep", "evaluate", "gradients", "export-script", "export-data", "lr-find", "download",
            "data", "runs")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        hint = f"{self.prog} --help"
        raise SystemExit(_fail(f"{message} (see '{hint}')", 2))


def _fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def _int_list(text: str) -> tuple[int, ...]:
    text = text.strip()
    if text.lower() in ("", "none", "0-hidden"):
        return ()
    out = []
    for part in text.split(","):
        try:
            out.append(int(part.strip()))
        except ValueError:
            raise argparse.ArgumentTypeError(f"hidden widths must be whole numbers like 200,200 or 'none', "
                                             f"got '{part.strip()}'") from None
    return tuple(out)


def _float_list(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(p) for p in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or a comma-separated list, got '{text}'") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None


def _add_data_options(p: argparse.ArgumentParser) -> None:
    from playground.engine.config import dataset_names
    p.add_argument("--dataset", metavar="NAME",
                   help=f"one of: {', '.join(dataset_names())}; or csv:FILE (your table) or folder:DIR (your images)")
    p.add_argument("--data-dir", metavar="DIR", help="folder holding <Name>/raw/*-ubyte[.gz] (torchvision's layout)")
    p.add_argument("--classes", type=_whole, help="number of classes for spiral (2-5)")
    from playground.data_args import add_data_source_options
    add_data_source_options(p)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS
    p.add_argument("--hidden", type=_int_list, metavar="W1,W2", help="hidden widths, e.g. 200,200; 'none' for softmax regression")
    p.add_argument("--activation", metavar="NAME", help=", ".join(ACTIVATIONS))
    p.add_argument("--output-activation", metavar="NAME",
                   help="none (the right choice: the loss takes raw logits), or an activation to see why it hurts")
    p.add_argument("--init", metavar="NAME", help=", ".join(INITS))
    p.add_argument("--dropout", type=_float_list, metavar="P", help="one value for all hidden layers or one per layer")
    p.add_argument("--weight-decay", type=_number, metavar="L2")
    p.add_argument("--decay-biases", action=argparse.BooleanOptionalAction, default=None,
                   help="also decay biases (default: weights only)")
    p.add_argument("--optimizer", metavar="NAME", help=", ".join(OPTIMIZERS))
    p.add_argument("--lr", type=_number, metavar="RATE")
    p.add_argument("--momentum", type=_number, metavar="M")
    p.add_argument("--batch-size", type=_whole, metavar="N")
    p.add_argument("--loss", metavar="NAME", help=", ".join(LOSSES))
    p.add_argument("--device", metavar="DEV", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--seed", type=_whole)
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                   help="random shifts, rotations, scalings and stroke widths on image batches (default: on for the built-in "
                        "digits, off for the MNIST family)")
    p.add_argument("--mix-pen-digits", action=argparse.BooleanOptionalAction, default=None,
                   help="add real pen digits (UNIPEN) to MNIST's training split so the model reads drawings; the "
                        "test split stays MNIST's own (default: on for MNIST)")
    p.add_argument("--config", metavar="JSON", help="start from a saved config file; flags override it")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="MLP Playground: build, train and look inside multilayer perceptrons.")
    parser.add_argument("--load", metavar="CKPT", help="open the window with this checkpoint")
    from playground import runs_commands
    runs_commands.add_run_option(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    train = sub.add_parser("train", help="train a network and print metrics per epoch")
    _add_data_options(train)
    _add_model_options(train)
    train.add_argument("--epochs", type=_whole)
    train.add_argument("--mix-my-digits", action="store_true", default=None,
                       help="add my digits (taught in the Draw tab) to a digit set's training split")
    train.add_argument("--save", metavar="CKPT", help="write a checkpoint when training ends")
    train.add_argument("--metrics-csv", metavar="FILE", help="write one row per epoch")
    train.add_argument("--json", action="store_true", help="one JSON object per epoch on stdout")
    train.add_argument("--no-record", action="store_true",
                       help="do not keep this run in the run store (see 'mlp-playground runs list')")
    from playground import sweep_command
    sweep_command.add_parser(sub, _add_data_options, _add_model_options)
    evaluate = sub.add_parser("evaluate", help="accuracy of a checkpoint on a dataset's test split")
    evaluate.add_argument("--load", metavar="CKPT", help="the checkpoint to measure (or --run ID)")
    runs_commands.add_run_option(evaluate)
    _add_data_options(evaluate)
    evaluate.add_argument("--device", metavar="DEV")
    evaluate.add_argument("--json", action="store_true")
    grads = sub.add_parser("gradients", help="per-layer gradient norms at initialisation (vanishing gradients)")
    _add_data_options(grads)
    _add_model_options(grads)
    grads.add_argument("--json", action="store_true")
    from playground import export_commands
    export_commands.add_parsers(sub, _add_data_options, _add_model_options)
    describe = sub.add_parser("data", help="describe a table (CSV, TSV, Parquet, .xlsx) without training: columns, "
                              "types, missing cells, features, label, task, classes")
    describe.add_argument("source", metavar="SOURCE", help="a table file (or csv:FILE)")
    describe.add_argument("--label-column", metavar="NAME|INDEX", help="the label column (default: the last)")
    describe.add_argument("--task", choices=("auto", "classification", "regression"), metavar="TASK",
                          help="auto (default), classification or regression")
    describe.add_argument("--max-levels", type=_whole, metavar="N",
                          help="word columns with more distinct values are left out as identifiers (default 50)")
    describe.add_argument("--json", action="store_true", help="one JSON object")
    from playground.engine.datasets.catalog import DATASETS
    downloadable = [d for d in DATASETS.values() if d.downloadable]
    fetch = sub.add_parser("download", help=f"download {', '.join(d.label for d in downloadable)} with a progress "
                                            f"bar")
    fetch.add_argument("name", metavar="NAME", help=", ".join(d.name for d in downloadable))
    fetch.add_argument("--data-dir", metavar="DIR", help="root folder (files go to DIR/<Name>/raw/)")
    runs_commands.add_parsers(sub)
    return parser


def _runs_parser() -> argparse.ArgumentParser:
    """Only the runs command: building every command's options imports torch, too slow for `runs list`."""
    from playground import runs_commands
    parser = _Parser(prog=PROG)
    runs_commands.add_parsers(parser.add_subparsers(dest="command", parser_class=_Parser))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = (_runs_parser() if argv[:1] == ["runs"] else build_parser()).parse_args(argv)
        if args.command is None:
            return _launch_window(args.load, args.run)
        from playground.engine.errors import PlaygroundError
        try:
            if args.command == "runs":
                from playground import runs_commands
                return runs_commands.run(args)
            from playground import commands, export_commands
            if args.command in export_commands.COMMANDS:
                return export_commands.run(args)
            if args.command == "sweep":
                from playground.sweep_command import sweep
                return sweep(args)
            return {"train": commands.train, "evaluate": commands.evaluate,
                    "gradients": commands.gradients, "download": commands.download,
                    "data": commands.data}[args.command](args)
        except PlaygroundError as exc:
            return _fail(str(exc))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except MemoryError:
        return _fail("out of memory: use a smaller network or batch size")
    except Exception as exc:  # last line of defence: no traceback at a user
        if os.environ.get("MLP_PLAYGROUND_DEBUG"):
            raise
        return _fail(f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                     f"(set MLP_PLAYGROUND_DEBUG=1 for details)")


def _launch_window(checkpoint: str | None, run: str | None = None) -> int:
    from playground.startup import display_problem
    problem = display_problem()
    if problem:
        return _fail(problem)
    from playground.engine.errors import PlaygroundError
    loaded = None
    if checkpoint and run:
        return _fail("give --load CKPT or --run ID, not both")
    if run:
        from playground.runs_commands import open_stored_model
        try:
            open_stored_model(run)     # says why now, in the terminal, when the run's model cannot be opened
        except PlaygroundError as exc:
            return _fail(str(exc))
        from playground.app import run_app
        return run_app(run=run)        # opened as the listed run: Train continues it
    elif checkpoint:
        from playground.engine.runs.checkpoint import load_checkpoint
        from playground.engine.train.threads import compute_on_one_thread
        compute_on_one_thread()   # this is the GUI thread to be: it must not keep a pool of compute threads
        try:
            loaded = load_checkpoint(checkpoint)
        except PlaygroundError as exc:
            return _fail(str(exc))
    from playground.app import run_app
    return run_app(checkpoint, loaded)


def console_main() -> None:
    sys.exit(main())


if __name__ == "__main__":
    console_main()
