"""Catalog functions: the same lists and entries as `xpusim catalog ... --json`."""

import pytest

import xpusim
from conftest import cli_json


@pytest.mark.parametrize("kind", ["chips", "systems", "models"])
def test_lists_match_the_cli(kind, cli):
    got = getattr(xpusim, kind)()
    assert got == cli_json("catalog", "list", kind)[kind]
    ids = [e["id"] for e in got]
    assert len(ids) == len(set(ids)) and len(ids) >= 5


def test_well_known_entries_are_there():
    assert {"h100-sxm", "ascend-910c"} <= {c["id"] for c in xpusim.chips()}
    assert {"dgx-h100", "ascend-910c-8"} <= {s["id"] for s in xpusim.systems()}
    assert {"llama3-70b", "llama3-8b"} <= {m["id"] for m in xpusim.models()}


def test_show_by_alias_and_datasheet_value():
    h100 = xpusim.show("h100-sxm")
    assert h100["id"] == "h100-sxm"
    # NVIDIA H100 SXM datasheet: 989 dense BF16 TFLOPS, 80 GB HBM3.
    assert h100["tflops"]["bf16"]["value"] == pytest.approx(989, rel=0.01)
    a100 = xpusim.show("a100-40gb")  # an alias
    assert a100["id"] == "a100-sxm-40gb"


def test_compare_matches_the_cli(cli):
    assert xpusim.compare("h100-sxm", "ascend-910c") == cli_json("catalog", "compare", "h100-sxm", "ascend-910c")


def test_load_catalog_default_dir(tmp_path):
    d = xpusim.load_catalog()
    assert d and (__import__("pathlib").Path(d) / "chips").is_dir()
    assert xpusim.show("dgx-h100")["id"] == "dgx-h100"
