"""The export-script, export-data and lr-find commands, on top of the engine."""
from __future__ import annotations

import argparse
import json
import sys

from playground.engine.errors import PlaygroundError

COMMANDS = ("export-script", "export-data", "lr-find")


def add_parsers(sub, add_data_options, add_model_options) -> None:
    """Register the three commands on the CLI's subparsers (cli.py passes its option helpers)."""
    script = sub.add_parser("export-script", help="write a standalone PyTorch script that trains this network")
    add_data_options(script)
    add_model_options(script)
    script.add_argument("--epochs", type=int)
    script.add_argument("--load", metavar="CKPT", help="start from this checkpoint's config and trained weights "
                        "(saved beside the script as a plain state_dict)")
    from playground.runs_commands import add_run_option
    add_run_option(script)
    script.add_argument("-o", "--output", metavar="FILE.py", required=True, help="the script to write")
    data = sub.add_parser("export-data", help="write the built-in digits as MNIST-layout IDX files")
    data.add_argument("name", metavar="DATASET", help="synthetic-digits")
    data.add_argument("directory", metavar="DIR", help="writes DIR/SyntheticDigits/raw/*-ubyte")
    data.add_argument("--seed", type=int, default=0, help="the seed the digits were made with (the run's seed)")
    find = sub.add_parser("lr-find", help="the learning-rate range test: suggests a learning rate")
    add_data_options(find)
    add_model_options(find)
    find.add_argument("--json", action="store_true", help='print {"suggested_lr", "lrs", "losses"}')
    find.add_argument("--load", metavar="CKPT", help="test the network and data of this checkpoint (its config; "
                      "the range test always starts from fresh weights)")
    add_run_option(find)


def run(args: argparse.Namespace) -> int:
    return {"export-script": export_script, "export-data": export_data, "lr-find": lr_find}[args.command](args)


def export_script(args: argparse.Namespace) -> int:
    from playground.cli_config import config_from_args
    from playground.engine.export.script_export import write_script
    from playground.runs_commands import load_model
    if (args.load or args.run) and args.config:
        raise PlaygroundError("give --load/--run or --config, not both: a checkpoint carries its own config")
    state_dict, recipe = None, None
    loaded = load_model(args)
    if loaded is not None:
        config = _checkpoint_config(args, loaded.config)
        state_dict, recipe = loaded.model.state_dict(), loaded.recipe
    else:
        config = config_from_args(args)
        if config.dataset.startswith("csv:") and not args.config:
            # the same batch size and epochs `train` would choose for this table
            from playground.engine.datasets import load_dataset
            from playground.engine.datasets.tables import with_table_defaults
            given = {k for k, v in vars(args).items() if v is not None}
            config = with_table_defaults(config, load_dataset(config), given)
    source = f"checkpoint {args.load}" if args.load else f"stored run {args.run}" if args.run else "the command line"
    written = write_script(args.output, config, state_dict, source=source, recipe=recipe)
    print(f"wrote {', '.join(map(str, written))}", file=sys.stderr)
    if config.dataset == "synthetic-digits" and not config.data_dir:
        print(f"the script reads the built-in digits from data/ beside it: mlp-playground export-data "
              f"synthetic-digits {written[0].parent / 'data'} --seed {config.seed}", file=sys.stderr)
    return 0


def _checkpoint_config(args: argparse.Namespace, base):
    """The checkpoint's config with the flags given; flags that would change its network are refused."""
    from dataclasses import fields
    names = {f.name for f in fields(base)}
    changes = {k: v for k, v in vars(args).items() if k in names and v is not None}
    clash = [k for k in ("hidden", "activation", "output_activation") if k in changes
             and changes[k] != getattr(base, k)]
    if clash:
        raise PlaygroundError(f"--{clash[0].replace('_', '-')} cannot change a checkpoint's network; "
                              f"leave it out to use the checkpoint's")
    return base.replace(**changes)


def export_data(args: argparse.Namespace) -> int:
    from playground.engine.datasets.export_data import EXPORTABLE, export_synthetic_digits
    if args.name not in EXPORTABLE:
        raise PlaygroundError(f"export-data writes {', '.join(EXPORTABLE)}; MNIST-family sets are already "
                              f"IDX files (see the README's Data section)")
    if args.seed < 0:
        raise PlaygroundError(f"seed must be a whole number >= 0, got {args.seed}")
    for path in export_synthetic_digits(args.directory, seed=args.seed):
        print(path)
    return 0


def lr_find(args: argparse.Namespace) -> int:
    from playground.cli_config import config_from_args
    from playground.engine.train.lr_finder import find_lr
    from playground.runs_commands import load_model
    if (args.load or args.run) and args.config:
        raise PlaygroundError("give --load/--run or --config, not both: a checkpoint carries its own config")
    loaded = load_model(args)
    config = _checkpoint_config(args, loaded.config) if loaded is not None else config_from_args(args)
    if not args.json:
        print(f"range test on {config.dataset}: {config.optimizer}, a fresh network, about 100 batches "
              f"with the learning rate growing from 1e-7 to 10…", file=sys.stderr)
    finding = find_lr(config)
    if args.json:
        print(json.dumps(finding.to_json_dict()))
        return 0
    step = max(1, len(finding.lrs) // 20)
    for lr, loss in list(zip(finding.lrs, finding.losses))[::step]:
        print(f"lr {lr:9.2e}  smoothed loss {loss:.4f}")
    print(f"suggested learning rate: {finding.suggested_lr:.3g}")
    print(finding.explanation)
    return 0
