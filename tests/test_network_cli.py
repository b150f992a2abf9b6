"""`frontier network`: the network as a JSON/TOML/YAML file (--network, the whole description) or JSON text (--nodes,
--links), the same numbers as frontier.network(), and a wrong description refused in one line."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.cli import main

NODES = {"rd": {"inputs": ["staff", "spending"]},
         "market": {"inputs": ["energy"], "outputs": ["revenue"], "bad_outputs": ["pollution"]}}
LINKS = [{"from": "rd", "to": "market", "column": "patents"},
         {"from": "rd", "to": "market", "column": "prototypes", "kind": "fixed"}]


@pytest.fixture
def data_file(tmp_path):
    rng = np.random.default_rng(4)
    n = 10
    frame = pd.DataFrame(rng.uniform(1, 10, size=(n, 7)),
                         columns=["staff", "spending", "energy", "patents", "prototypes", "revenue", "pollution"])
    frame.insert(0, "region", [f"r{i:02d}" for i in range(n)])
    path = tmp_path / "green.csv"
    frame.to_csv(path, index=False)
    return path, frame


def _expected(frame, **kw):
    return fr.network(frame, nodes=NODES, links=LINKS, model="sbm", **kw)


TOML = """
[nodes.rd]
inputs = ["staff", "spending"]
[nodes.market]
inputs = ["energy"]
outputs = ["revenue"]
bad_outputs = ["pollution"]
[[links]]
from = "rd"
to = "market"
column = "patents"
[[links]]
from = "rd"
to = "market"
column = "prototypes"
kind = "fixed"
"""


@pytest.mark.parametrize("form", ["json", "toml", "yaml", "text"])
def test_network_sbm_from_a_file_or_text_equals_the_api(form, data_file, tmp_path, capsys):
    path, frame = data_file
    spec = {"nodes": NODES, "links": LINKS}
    if form == "json":
        (tmp_path / "net.json").write_text(json.dumps(spec))
        network = ["--network", str(tmp_path / "net.json")]
    elif form == "toml":
        (tmp_path / "net.toml").write_text(TOML)
        network = ["--network", str(tmp_path / "net.toml")]
    elif form == "yaml":
        yaml = pytest.importorskip("yaml")
        (tmp_path / "net.yaml").write_text(yaml.safe_dump(spec))
        network = ["--network", str(tmp_path / "net.yaml")]
    else:
        network = ["--nodes", json.dumps(NODES), "--links", json.dumps(LINKS)]
    out = tmp_path / "out.csv"
    code = main(["network", str(path), *network, "--model", "sbm", "--rts", "vrs", "--node-rts", "rd=crs",
                 "--node-weights", "rd=1", "market=3", "--orientation", "input", "-o", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    back = pd.read_csv(out)
    api = _expected(frame.drop(columns="region"), rts="vrs", node_rts={"rd": "crs"},
                    node_weights={"rd": 1, "market": 3}, orientation="input")
    assert list(back.columns[:8]) == list(frame.columns)        # the data first: they identify the rows
    np.testing.assert_allclose(back["system"], api.system, rtol=1e-10)
    np.testing.assert_allclose(back["node_market"], api.nodes["market"], rtol=1e-10)
    np.testing.assert_allclose(back["target_prototypes"], frame["prototypes"], rtol=1e-7)


def test_the_relational_model_on_the_command_line(data_file, tmp_path, capsys):
    path, frame = data_file
    nodes = {"rd": {"inputs": ["staff", "spending"]}, "market": {"outputs": ["revenue"]}}
    out = tmp_path / "rel.xlsx"
    pytest.importorskip("openpyxl")
    code = main(["network", str(path), "--nodes", json.dumps(nodes), "--links", '[["rd", "market", "patents"]]',
                 "-o", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    api = fr.network(frame, nodes=nodes, links=[("rd", "market", "patents")])
    np.testing.assert_allclose(pd.read_excel(out)["system"], api.system, rtol=1e-10)


@pytest.mark.parametrize("tokens,exit_code,fragment", [          # every error is a usage error (exit 2)
    (["--network", "{not json"], 2, "expected JSON text"),
    (["--network", "missing.json"], 2, "cannot read 'missing.json'"),
    (["--network", json.dumps({"nodes": NODES, "links": LINKS}), "--links", "[]"], 2,
     "gives 'links' and so does --links"),
    (["--nodes", json.dumps(NODES), "--links", json.dumps(LINKS)], 2, "bad outputs are not defined"),
    (["--nodes", json.dumps(NODES), "--model", "sbm", "--node-rts", "lab=vrs"], 2, "names node 'lab'"),
])
def test_a_wrong_network_is_one_line(tokens, exit_code, fragment, data_file, capsys):
    path, _ = data_file
    code = main(["network", str(path), *tokens])
    err = capsys.readouterr().err
    assert code == exit_code and fragment in err and len(err.strip().splitlines()) == 1, err
