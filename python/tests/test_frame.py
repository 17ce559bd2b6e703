"""xpusim.to_frame: pandas DataFrames of results (pandas optional)."""

import sys

import pytest

import xpusim


def test_frame_shape_and_columns():
    pd = pytest.importorskip("pandas")
    rows = [xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp=tp) for tp in (1, 2, 4)]
    df = xpusim.to_frame(rows)
    assert isinstance(df, pd.DataFrame)
    assert df.shape[0] == 3
    assert list(df["parallel.tp"]) == [1, 2, 4]
    assert list(df["mfu"]) == [r["mfu"] for r in rows]
    # Every nested number became one column: count the leaves by hand.
    def leaves(d):
        return sum(leaves(v) if isinstance(v, dict) else 1 for v in d.values())
    assert df.shape[1] == leaves(rows[0])
    one = xpusim.to_frame(rows[0])
    assert one.shape == (1, df.shape[1])


def test_frame_of_catalog_lists():
    pytest.importorskip("pandas")
    chips = xpusim.chips()
    df = xpusim.to_frame(chips)
    assert df.shape[0] == len(chips)
    assert "tflops.bf16.value" in df.columns
    h100 = df[df["id"] == "h100-sxm"].iloc[0]
    assert h100["tflops.bf16.value"] == pytest.approx(989, rel=0.01)


def test_frame_of_search_top_plans():
    pytest.importorskip("pandas")
    s = xpusim.search(model="llama3-8b", system="dgx-h100", chips=64, top=4, threads=1)
    df = xpusim.to_frame(s["search"]["top"])
    assert df.shape[0] == len(s["search"]["top"]) <= 4
    assert (df["tp"] * df["pp"] * df["dp"] * df["cp"] == 64).all()


def test_clear_import_error_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="needs pandas"):
        xpusim.to_frame({"a": 1})


def test_refuses_what_is_not_a_result():
    pytest.importorskip("pandas")
    with pytest.raises(TypeError):
        xpusim.to_frame(3)
    with pytest.raises(TypeError):
        xpusim.to_frame([{"a": 1}, 2])
