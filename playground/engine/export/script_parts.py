"""The blocks of an exported training script, as text: data, model, init, loss and optimizer.

Where the engine's own code can be copied, it is (`source_inline`): the 2-D generators, the input
normalisation and the augmentation come from the engine's source, so the script computes what the app
computes. The rest is written out here and checked against the engine by tests/engine/test_script_export.py.
"""
from __future__ import annotations

import textwrap

from playground.engine.train.augment import augment_batch  # noqa: F401  (imported so a missing function fails here, not in a script)
from playground.engine.config import TrainConfig
from playground.engine.datasets import base, toy2d
from playground.engine.datasets.splits import data_seed, split_sizes
from playground.engine.datasets.export_data import SYNTHETIC_FOLDER
from playground.engine.datasets.mnist_family import CLASS_NAMES, FOLDERS
from playground.engine.errors import PlaygroundError
from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, parameter_groups
from playground.engine.export.source_inline import constant_source, function_source, inline_module

IMAGE_FOLDERS = {**FOLDERS, "synthetic-digits": SYNTHETIC_FOLDER}


def block(title: str, text: str) -> str:
    """A numbered section of the script with a banner comment."""
    rule = "# " + "-" * 98
    return f"{rule}\n# {title}\n{rule}\n{textwrap.dedent(text).strip()}\n"


def _dedent(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


# --- data ---------------------------------------------------------------------------------------------
def points_data(config: TrainConfig) -> str:
    generator = toy2d.GENERATORS[config.dataset]
    return _dedent(f"""
        # The app's 2-D sets are generated from the seed (Run > seed), so this is the same data.
        {constant_source("N_TRAIN", toy2d.N_TRAIN).strip()}
        {constant_source("N_TEST", toy2d.N_TEST).strip()}
        CLASS_NAMES = {[f"class {i}" for i in range(_point_classes(config))]!r}
        NOISE = {config.noise!r}
        DATA_SEED = {data_seed(config.seed, config.data_seed)!r}
        N_TRAIN_SPLIT = {split_sizes(toy2d.N_TOTAL, config.train_fraction)[0]!r}
    """) + "\n\n" + function_source(generator) + "\n\n" + _dedent(f"""
        def load_data():
            \"\"\"Points and labels, shuffled, split train/test and standardised with the training statistics.\"\"\"
            g = torch.Generator().manual_seed(DATA_SEED)
            x, y = {generator.__name__}(N_TRAIN + N_TEST, g, CLASSES, NOISE)
            order = torch.randperm(len(y), generator=g)
            x, y = x[order].float(), y[order].long()
            mean, std = x[:N_TRAIN_SPLIT].mean(0), x[:N_TRAIN_SPLIT].std(0)
            x = (x - mean) / torch.where(std > 0, std, torch.ones_like(std))
            return x[:N_TRAIN_SPLIT], y[:N_TRAIN_SPLIT], x[N_TRAIN_SPLIT:], y[N_TRAIN_SPLIT:]
    """)


def _point_classes(config: TrainConfig) -> int:
    return config.classes if config.dataset == "spiral" else 2


def dataset_classes(config: TrainConfig) -> list[str]:
    if config.dataset in toy2d.GENERATORS:
        return [f"class {i}" for i in range(_point_classes(config))]
    if config.dataset in CLASS_NAMES:
        return list(CLASS_NAMES[config.dataset])
    return [str(i) for i in range(10)]


def _fetch_missing(config: TrainConfig) -> str:
    """Lines (indented for `locate`) that run when a split's files are not found."""
    if config.dataset == "synthetic-digits":
        return (f'        sys.exit(f"the built-in digits were not found under {{DATA_DIR}}; export them once with: "\n'
                f'                 f"mlp-playground export-data synthetic-digits {{DATA_DIR}} --seed {config.seed}")\n')
    tv_class = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST", "kmnist": "KMNIST"}[config.dataset]
    return (f"        try:  # torchvision downloads into DATA_DIR/{FOLDERS[config.dataset]}/raw/, the layout read above\n"
            f"            import torchvision\n"
            f"            for train in (True, False):\n"
            f"                torchvision.datasets.{tv_class}(str(DATA_DIR), train=train, download=True)\n"
            f"        except Exception as exc:\n"
            f'            sys.exit(f"{{FOLDER}} was not found under {{DATA_DIR}} and could not be downloaded: {{exc}}")\n'
            f"        paths = find_split(split)\n")


def image_data(config: TrainConfig) -> str:
    return _dedent(f"""
        FOLDER = {IMAGE_FOLDERS[config.dataset]!r}
        CLASS_NAMES = {dataset_classes(config)!r}


        def read_idx(path):
            \"\"\"An IDX file (the format MNIST ships in, gzipped or not) as a uint8 tensor.\"\"\"
            raw = Path(path).read_bytes()
            if raw[:2] == b"\\x1f\\x8b":
                raw = gzip.decompress(raw)
            ndim = raw[3]
            shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
            return torch.frombuffer(bytearray(raw[4 + 4 * ndim:]), dtype=torch.uint8).reshape(shape)


        def find_split(split):
            \"\"\"(images, labels) paths of 'train' or 't10k' in DATA_DIR/FOLDER/raw/ (torchvision's layout).\"\"\"
            for raw in (DATA_DIR / FOLDER / "raw", DATA_DIR / "raw", DATA_DIR):
                found = []
                for what, dims in (("images", 3), ("labels", 1)):
                    stem = raw / f"{{split}}-{{what}}-idx{{dims}}-ubyte"
                    found += [p for p in (stem, stem.with_name(stem.name + ".gz")) if p.is_file()][:1]
                if len(found) == 2:
                    return found
            return None


        def locate(split):
            paths = find_split(split)
            if paths is None:
    """) + _fetch_missing(config) + textwrap.indent(_dedent("""
            if paths is None:
                sys.exit(f"{FOLDER} {split} files were not found under {DATA_DIR}")
            return paths
    """), "    ") + "\n\n" + _dedent("""
        def load_data():
            \"\"\"Training and test images (uint8, N x 28 x 28) and labels, as the app loads them.\"\"\"
            splits = []
            for split in ("train", "t10k"):
                images, labels = locate(split)
                splits += [read_idx(images), read_idx(labels).long()]
            return splits
    """)


def features() -> str:
    return (constant_source("IMAGE_MEAN", base.IMAGE_MEAN) + constant_source("IMAGE_STD", base.IMAGE_STD)
            + "\n\n" + function_source(base.to_features))


def augmentation() -> tuple[list[str], str]:
    from playground.engine.train import augment
    return inline_module(augment)


# --- model ----------------------------------------------------------------------------------------------
def module_source(module) -> str:
    """`nn.LeakyReLU(negative_slope=0.01)`: a torch module written as the call that makes it."""
    text = f"nn.{module!r}"
    if "\n" in text or not module.__class__.__module__.startswith("torch.nn"):
        raise PlaygroundError(f"the activation {module!r} cannot be written into a script")
    return text


def activation_source(name: str) -> str:
    return module_source(ACTIVATIONS[name].make())


def model_builder(config: TrainConfig) -> str:
    out = ""
    if config.output_activation != "none":
        out = (f"\n    # Network > output activation: {config.output_activation} on the logits (the mistake "
               f"the app shows on purpose)\n    layers[\"act_out\"] = {activation_source(config.output_activation)}")
    return _dedent(f"""
        def build_model(n_inputs, n_classes):
            \"\"\"Flatten -> (Linear -> activation -> Dropout) per hidden layer -> Linear (the logits).\"\"\"
            layers = OrderedDict(flatten=nn.Flatten())
            width_in = n_inputs
            for i, (width, p) in enumerate(zip(HIDDEN, DROPOUT), 1):
                layers[f"fc{{i}}"] = nn.Linear(width_in, width)
                layers[f"act{{i}}"] = {activation_source(config.activation)}   # Network > activation
                if p > 0:
                    layers[f"drop{{i}}"] = nn.Dropout(p)
                width_in = width
            layers["out"] = nn.Linear(width_in, n_classes)""") + (out + "\n" if out else "") + \
        "    return nn.Sequential(layers)\n"


def init_function(config: TrainConfig) -> str:
    script = INITS[config.init].script
    if not script:
        raise PlaygroundError(f"the init '{config.init}' cannot be exported to a script yet")
    kaiming = ", ".join(f"{k}={v!r}" for k, v in ACTIVATIONS[config.activation].kaiming_kwargs.items())
    lines = [line.format(kaiming=kaiming) for line in script]
    body = "\n".join(" " * 16 + line for line in lines)
    return _dedent(f"""
        def init_weights(model, generator):
            \"\"\"Network > weight init: {config.init}, drawn from the seeded generator (Run > seed).\"\"\"
            with torch.no_grad():
                for layer in model.modules():
                    if isinstance(layer, nn.Linear):
    """) + body + "\n"


# --- loss and optimizer --------------------------------------------------------------------------------
def loss_function(config: TrainConfig) -> str:
    """The registry's loss: a torch function by name, or the registry's own function's source."""
    fn = LOSSES[config.loss].fn
    if getattr(fn, "__module__", "").startswith("torch.nn.functional"):
        return f"loss_fn = F.{fn.__name__}   # Optimisation > loss: {config.loss}\n"
    return (function_source(fn) + f"\n\nloss_fn = {fn.__name__}   # Optimisation > loss: {config.loss} "
            f"({LOSSES[config.loss].summary})\n")


def optimizer_function(config: TrainConfig) -> str:
    call = OPTIMIZERS[config.optimizer].script
    if not call:
        raise PlaygroundError(f"the optimizer '{config.optimizer}' cannot be exported to a script yet")
    return function_source(parameter_groups) + "\n\n" + _dedent(f"""
        def make_optimizer(model):
            \"\"\"Optimisation > optimizer: {config.optimizer}, with Regularisation > weight decay on the
            weights only (and on the biases too when "also decay biases" is ticked): two parameter groups.\"\"\"
            groups = parameter_groups(model, WEIGHT_DECAY, DECAY_BIASES)
            return {call}
    """)
