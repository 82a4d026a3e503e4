"""Property-based: any mix of CLI arguments gives a clean result or one clear line, never a traceback."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.cli import main

NUMBERS = st.sampled_from(["0", "-1", "1", "0.5", "1e-3", "1e9", "nan", "inf", "-inf", "abc", "", "2.5", "1e400"])
FLAGS = {
    "--hidden": st.sampled_from(["8", "8,8", "none", "0", "-4", "x", "4,,4", "100000000", "3000000,3000000", ""]),
    "--activation": st.sampled_from(["relu", "sigmoid", "tanh", "swish", ""]),
    "--init": st.sampled_from(["default", "zeros", "normal-1", "he", ""]),
    "--dropout": st.sampled_from(["0", "0.5", "1", "-0.1", "0.2,0.3", "a"]),
    "--weight-decay": NUMBERS,
    "--optimizer": st.sampled_from(["sgd", "momentum", "adam", "lbfgs"]),
    "--lr": NUMBERS,
    "--momentum": NUMBERS,
    "--batch-size": NUMBERS,
    "--loss": st.sampled_from(["cross-entropy", "mse", "hinge"]),
    "--device": st.sampled_from(["cpu", "auto", "cuda", "cuda:7", "tpu"]),
    "--seed": NUMBERS,
    "--classes": NUMBERS,
}


@st.composite
def argv(draw):
    args = ["train", "--dataset", draw(st.sampled_from(["moons", "xor", "spiral", "nope"])),
            "--epochs", draw(st.sampled_from(["1", "0", "-1", "x"]))]
    for flag in draw(st.lists(st.sampled_from(sorted(FLAGS)), max_size=5, unique=True)):
        args += [flag, draw(FLAGS[flag])]
    return args


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv())
def test_any_arguments_give_a_result_or_one_clear_line(capsys, args):
    code = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    if code == 0:
        assert "epoch" in out
    else:
        assert code in (1, 2, 3)
        lines = err.strip().splitlines()
        assert lines and lines[-1].startswith("mlp-playground: error: ")
        assert all(not l.startswith(" ") for l in lines)
