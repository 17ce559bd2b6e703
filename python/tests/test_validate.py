"""xpusim.validate and xpusim.call: the CLI's report, through the generic entry too."""

import xpusim
from conftest import cli_json, without_timings


def test_validate_same_as_cli(cli):
    v = xpusim.validate()
    assert without_timings(v) == without_timings(cli_json("validate"))
    assert without_timings(xpusim.call("validate")) == without_timings(v)


def test_call_with_positional_args():
    assert xpusim.call("catalog show", args=["llama3-70b"]) == xpusim.show("llama3-70b")
    assert set(xpusim.commands()) >= {"train", "serve", "match", "validate", "catalog list"}
