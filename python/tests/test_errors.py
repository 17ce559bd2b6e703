"""Errors: xpusim.Error / InternalError with the CLI's own messages."""

import pytest

import xpusim
from conftest import has_command


def cli_error(cli, *args):
    rc, out, err = cli(*args)
    assert rc == 1 and out == ""
    prefix = "xpusim: error: "
    assert err.startswith(prefix)
    return err[len(prefix):].rstrip("\n")


def test_error_types():
    assert issubclass(xpusim.Error, ValueError)
    assert issubclass(xpusim.InternalError, RuntimeError)
    assert not issubclass(xpusim.InternalError, ValueError)
    assert not issubclass(xpusim.Error, RuntimeError)


def test_unknown_system_says_did_you_mean(cli):
    with pytest.raises(xpusim.Error) as e:
        xpusim.train(model="llama3-8b", system="dgx-h10O", chips=8)
    msg = str(e.value)
    assert "unknown system 'dgx-h10O'" in msg and "did you mean 'dgx-h100'" in msg
    assert msg == cli_error(cli, "train", "--model=llama3-8b", "--system=dgx-h10O", "--chips=8")
    assert isinstance(e.value, ValueError)
    assert isinstance(e.value.code, str) and e.value.code


def test_misspelt_keyword_names_the_flag(cli):
    with pytest.raises(xpusim.Error) as e:
        xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, modle="llama3-8b")
    assert "unknown flag '--modle'" in str(e.value) and "did you mean '--model'" in str(e.value)
    assert str(e.value) == cli_error(cli, "train", "--chips=8", "--model=llama3-8b", "--modle=llama3-8b",
                                     "--system=dgx-h100")


def test_bad_values_are_user_errors(cli):
    with pytest.raises(xpusim.Error) as e:
        xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp=3)
    assert str(e.value) == cli_error(cli, "train", "--model=llama3-8b", "--system=dgx-h100", "--chips=8", "--tp=3")
    with pytest.raises(xpusim.Error, match="'tp' must be"):
        xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tp={"a": 1})
    with pytest.raises(xpusim.Error, match="finite"):
        xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, tokens=float("nan"))
    with pytest.raises(xpusim.Error, match="not accepted"):
        xpusim.train(model="llama3-8b", system="dgx-h100", chips=8, data_dir="/")
    with pytest.raises(xpusim.Error, match="unknown command"):
        xpusim.call("rm -rf")


def test_missing_required_flag(cli):
    with pytest.raises(xpusim.Error) as e:
        xpusim.train(system="dgx-h100", chips=8)
    assert "--model" in str(e.value)
    assert str(e.value) == cli_error(cli, "train", "--system=dgx-h100", "--chips=8")


def test_unknown_catalog_id(cli):
    with pytest.raises(xpusim.Error) as e:
        xpusim.show("h100-sxn")
    assert str(e.value) == cli_error(cli, "catalog", "show", "h100-sxn")


def test_bad_catalog_dir(tmp_path):
    with pytest.raises(xpusim.Error):
        xpusim.load_catalog(tmp_path / "nowhere")
    # The failed load left the working catalog in place.
    assert xpusim.show("h100-sxm")["id"] == "h100-sxm"


@pytest.mark.parametrize("name", ["plan", "outlook"])
def test_absent_commands_raise_the_cli_error(name):
    if has_command(name):
        pytest.skip(f"'{name}' exists in this build")
    with pytest.raises(xpusim.Error, match=f"unknown command '{name}'"):
        getattr(xpusim, name)(model="llama3-70b")
