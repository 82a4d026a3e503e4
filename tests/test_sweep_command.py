import json

from playground.cli import main

COMMON = ("--dataset", "moons", "--hidden", "16", "--epochs", "2", "--batch-size", "64", "--device", "cpu")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sweep_ends_with_a_table_of_value_final_best_and_time(capsys):
    code, out, err = run(capsys, "sweep", *COMMON, "--optimizer", "sgd", "--param", "lr", "--values", "0.05,1e9")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["lr", "final", "test", "acc", "best", "test", "acc", "time", "status"]
    first, second = lines[1].split(), lines[2].split()
    assert first[0] == "0.05" and 0 <= float(first[1]) <= float(first[2]) <= 1 and first[3].endswith("s")
    assert first[4] == "finished"
    assert second[:3] == ["1e+09", "-", "-"] and second[-1] == "diverged"
    assert "lr=1e+09: diverged" in err and "epoch   2/2" in err


def test_sweep_json_lines_are_train_json_lines_plus_value(capsys):
    code, out, _ = run(capsys, "sweep", *COMMON, "--param", "dropout", "--values", "0,0.3", "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    _, train_out, _ = run(capsys, "train", *COMMON, "--json")
    train_keys = set(json.loads(train_out.splitlines()[0]))
    assert len(lines) == 4 and all(set(line) == train_keys | {"value"} for line in lines)
    assert sorted((line["value"], line["epoch"]) for line in lines) == [([0.0], 1), ([0.0], 2), ([0.3], 1), ([0.3], 2)]


def test_a_grid_adds_value2(capsys):
    code, out, _ = run(capsys, "sweep", *COMMON[:-4], "--epochs", "1", "--param", "lr", "--values", "0.01,0.1",
                       "--param2", "hidden", "--values2", "8;16,8", "--json")
    assert code == 0
    pairs = sorted((json.loads(l)["value"], json.loads(l)["value2"]) for l in out.splitlines())
    assert pairs == [(0.01, [8]), (0.01, [16, 8]), (0.1, [8]), (0.1, [16, 8])]


def test_bad_sweep_options_get_one_line(capsys):
    code, out, err = run(capsys, "sweep", *COMMON, "--param", "colour", "--values", "1,2")
    assert code == 1 and err.count("\n") == 1 and "cannot sweep 'colour'" in err
    code, _, err = run(capsys, "sweep", *COMMON, "--param", "lr", "--values", "0.1,fast")
    assert code == 1 and "cannot read 'fast'" in err
    code, _, err = run(capsys, "sweep", *COMMON, "--param", "lr", "--values", "0.1", "--param2", "seed")
    assert code == 1 and "--param2 and --values2 together" in err


def test_all_diverged_is_an_error_exit(capsys):
    code, _, _ = run(capsys, "sweep", *COMMON, "--optimizer", "sgd", "--param", "lr", "--values", "1e9,1e10")
    assert code == 3



def _stored(data_home):
    """(every stored run, oldest first; the first one's last model)"""
    from playground.engine.runs.store import RunStore
    store = RunStore.open(data_home)
    try:
        runs = sorted(store.list_runs(), key=lambda r: r.id)
        return runs, (store.open_model(runs[0].id) if runs else None)
    finally:
        store.close()


def test_each_configuration_is_a_run_in_the_store_grouped_as_one_sweep(capsys, data_home):
    code, _, err = run(capsys, "sweep", *COMMON, "--optimizer", "sgd", "--param", "lr", "--values", "0.05,1e9")
    assert code == 0 and "recorded as sweep 1" in err
    assert run(capsys, "sweep", *COMMON, "--param", "seed", "--values", "1,2")[0] == 0
    runs, model = _stored(data_home)
    assert [(r.name, r.sweep, r.status) for r in runs] == [
        ("sweep 1: lr 0.05", "sweep 1", "finished"), ("sweep 1: lr 1e+09", "sweep 1", "diverged"),
        ("sweep 2: seed 1", "sweep 2", "finished"), ("sweep 2: seed 2", "sweep 2", "finished")]
    assert runs[0].epochs == 2 and runs[0].config.lr == 0.05 and runs[3].config.seed == 2
    assert len(model.metrics) == 2 and model.config.lr == 0.05


def test_no_record_keeps_no_sweep(capsys, data_home):
    assert run(capsys, "sweep", *COMMON, "--param", "seed", "--values", "1,2", "--no-record")[0] == 0
    assert _stored(data_home)[0] == []
