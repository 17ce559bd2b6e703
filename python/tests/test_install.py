"""The issue's bar: `python3 -c "import xpusim; print(xpusim.train(...)['mfu'])"`
works with every python3 here (Debian's and the one on PATH), through
PYTHONPATH and through the xpusim.pth that scripts/install_python_path.sh writes;
and the quickstart example runs."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import xpusim
from conftest import SOURCE_DIR

PKG_DIR = pathlib.Path(xpusim.__file__).resolve().parents[1]  # <build>/python
BUILD_DIR = PKG_DIR.parent
ONE_LINER = ("import xpusim; print(xpusim.train(model='llama3-70b', system='dgx-h100', chips=1024, "
             "tp=8, pp=4)['mfu'])")


def interpreters():
    found = []
    for p in (shutil.which("python3"), "/usr/bin/python3", sys.executable):
        if p and os.path.exists(p):
            real = os.path.realpath(p)
            if real not in [os.path.realpath(f) for f in found]:
                found.append(p)
    return found


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(extra)
    return env


def expected_mfu():
    return xpusim.train(model="llama3-70b", system="dgx-h100", chips=1024, tp=8, pp=4)["mfu"]


@pytest.mark.parametrize("py", interpreters())
def test_one_liner_with_pythonpath(py):
    p = subprocess.run([py, "-c", ONE_LINER], capture_output=True, text=True, timeout=120,
                       env=clean_env(PYTHONPATH=str(PKG_DIR)))
    assert p.returncode == 0, p.stderr
    assert float(p.stdout) == pytest.approx(expected_mfu(), rel=1e-12)


def test_pth_file_in_a_fresh_environment(tmp_path):
    # A venv of Debian's interpreter stands in for a site-packages we may write.
    venv = tmp_path / "venv"
    r = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot make a venv: {r.stderr.strip()[:200]}")
    py = str(venv / "bin" / "python3")
    script = str(SOURCE_DIR / "scripts" / "install_python_path.sh")
    env = clean_env(XPUSIM_PYTHONS=py)
    before = subprocess.run([py, "-c", "import xpusim"], capture_output=True, env=clean_env())
    assert before.returncode != 0  # not importable before
    r = subprocess.run([script, "--build", str(BUILD_DIR)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    p = subprocess.run([py, "-c", ONE_LINER], capture_output=True, text=True, timeout=120, env=clean_env())
    assert p.returncode == 0, p.stderr
    assert float(p.stdout) == pytest.approx(expected_mfu(), rel=1e-12)
    # Running it again changes nothing; a foreign xpusim.pth is left alone.
    site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True).stdout.strip()
    pth = pathlib.Path(site) / "xpusim.pth"
    first = pth.read_text()
    assert str(PKG_DIR) in first.splitlines()
    assert subprocess.run([script, "--build", str(BUILD_DIR)], env=env, capture_output=True).returncode == 0
    assert pth.read_text() == first
    pth.write_text("/somewhere/else\n")
    r = subprocess.run([script, "--build", str(BUILD_DIR)], capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "left alone" in r.stderr
    assert pth.read_text() == "/somewhere/else\n"
    assert subprocess.run([script, "--build", str(BUILD_DIR), "--force"], env=env,
                          capture_output=True).returncode == 0
    assert pth.read_text() == first
    others = sorted(p.name for p in pathlib.Path(site).iterdir())
    assert others == ["xpusim.pth"]  # nothing else written


def test_quickstart_example_runs():
    ex = SOURCE_DIR / "examples" / "python_quickstart.py"
    p = subprocess.run([sys.executable, str(ex)], capture_output=True, text=True, timeout=120,
                       env=clean_env(PYTHONPATH=str(PKG_DIR)))
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "dgx-h100" in out and "ascend-910c-8" in out and "MFU" in out
    assert "did you mean 'dgx-h100'" in out
    # The H100 row's MFU is the search's.
    best = xpusim.search(model="llama3-70b", system="dgx-h100", chips=1024, global_batch=512, seq=8192)
    assert f"{best['mfu']:5.1%}" in out
