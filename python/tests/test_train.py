"""xpusim.train / xpusim.search: the CLI's numbers, checked against hand arithmetic."""

import inspect
import math

import pytest

import xpusim
from conftest import cli_json, without_timings

# Llama-3-70B (Meta's config.json): 80 layers, hidden 8192, vocabulary 128,256,
# 70.55e9 parameters. H100 SXM dense BF16 peak: 989 TFLOPS (NVIDIA H100 datasheet).
L, D, VOCAB, PARAMS = 80, 8192, 128256, 70.55e9
H100_BF16_TFLOPS = 989.0

FLAGS = dict(model="llama3-70b", system="dgx-h100", chips=1024, tp=8, pp=4, global_batch=512, seq=8192)


@pytest.fixture(scope="module")
def r():
    return xpusim.train(**FLAGS)


def test_keywords_reach_the_flags(r):
    p = r["parallel"]
    assert (p["tp"], p["pp"], p["dp"], p["global_batch"]) == (8, 4, 1024 // 32, 512)
    assert r["seq_len"] == 8192 and r["chips"] == 1024 and r["system"] == "dgx-h100"


def test_tokens_per_second_is_batch_times_seq_over_step(r):
    assert r["tokens_per_s"] == pytest.approx(512 * 8192 / r["step_time_s"], rel=1e-9)


def test_mfu_is_model_flops_over_time_chips_and_peak(r):
    # DESIGN.md: mfu = model FLOPs (no recompute) / step time / chips / dense peak.
    # Model FLOPs per token, by hand: 6 x (parameters that do matmuls: all but the
    # input embedding) + causal attention 6 x layers x seq x hidden (QK^T and AV,
    # half the square, forward + backward = 3x).
    tokens = 512 * 8192
    flops = tokens * (6 * (PARAMS - VOCAB * D) + 6 * L * 8192 * D)
    assert r["model_flops_per_step"] == pytest.approx(flops, rel=0.02)
    mfu = flops / r["step_time_s"] / 1024 / (H100_BF16_TFLOPS * 1e12)
    assert r["mfu"] == pytest.approx(mfu, rel=0.02)
    assert r["model_tflops_per_chip"] == pytest.approx(r["mfu"] * H100_BF16_TFLOPS, rel=1e-3)
    assert 0 < r["mfu"] < 1


def test_same_numbers_as_the_cli(r, cli):
    assert r == cli_json("train", "--model=llama3-70b", "--system=dgx-h100", "--chips=1024", "--tp=8", "--pp=4",
                         "--global-batch=512", "--seq=8192")


def test_keys_keep_the_cli_order(r, cli):
    rc, out, _ = cli("train", "--model=llama3-70b", "--system=dgx-h100", "--chips=1024", "--tp=8", "--pp=4",
                     "--global-batch=512", "--seq=8192", "--json")
    import json
    assert list(r) == list(json.loads(out))  # json.loads keeps the printed order


def test_none_leaves_the_default_and_bools_become_on_off():
    a = xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp=2, zero=None)
    b = xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp=2)
    assert a == b
    assert a["parallel"]["sp"] is True  # SP defaults to on when tp > 1
    off = xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp=2, sp=False)
    assert off["parallel"]["sp"] is False
    assert off == xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp=2, sp="off")


def test_integer_like_objects_are_accepted():
    class Eight:
        def __index__(self):
            return 8

    assert xpusim.train(model="llama3-8b", system="dgx-h100", chips=Eight())["chips"] == 8


def test_search_returns_the_best_plan_and_the_search(cli):
    s = xpusim.search(model="llama3-8b", system="dgx-h100", chips=64, threads=1, top=3)
    top = s["search"]["top"]
    assert 1 <= len(top) <= 3
    p = s["parallel"]
    assert p["tp"] * p["pp"] * p["dp"] * p["cp"] == 64
    # The best plan is the fastest one the search kept.
    assert s["step_time_s"] <= min(t["step_time_s"] for t in top) * (1 + 1e-12)
    c = cli_json("train", "--model=llama3-8b", "--system=dgx-h100", "--chips=64", "--threads=1", "--top=3",
                 "--search")
    assert without_timings(s) == without_timings(c)  # wall times differ between runs


def test_search_sets_search_itself():
    with pytest.raises(TypeError):
        xpusim.search(model="llama3-8b", system="dgx-h100", chips=8, search=False)


def test_help_lists_the_keywords():
    doc = xpusim.train.__doc__
    for kw in ("model", "system", "chips", "global_batch", "search", "chips_sweep"):
        assert f"    {kw} (" in doc, kw
    assert "global_batch (int)" in doc and "search (bool)" in doc and "model (str, required)" in doc
    sig = inspect.signature(xpusim.train)
    assert sig.parameters["model"].default is inspect.Parameter.empty
    assert sig.parameters["global_batch"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "search" not in inspect.signature(xpusim.search).parameters
    assert "    json (" not in doc and "    data_dir (" not in doc and "    help (" not in doc
    for f in (xpusim.serve, xpusim.match, xpusim.validate, xpusim.chips, xpusim.show, xpusim.compare):
        assert f.__doc__ and len(f.__doc__) > 20


def test_tokens_adds_days_energy_and_cost():
    r = xpusim.train(model="llama3-8b", system="dgx-h100", chips=64, tokens=1e12)
    days = 1e12 / r["tokens_per_s"] / 86400
    assert r["train_days"] == pytest.approx(days, rel=1e-6)
    # Energy ~ cluster power x time (PUE and idle share aside): the same order.
    mwh = r["cluster_power_kw"] * days * 24 / 1000
    assert 0.5 * mwh < r["energy_mwh"] < 2 * mwh
    assert math.isfinite(r["cost_usd"]) and r["cost_usd"] > 0
