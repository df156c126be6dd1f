import subprocess
import sys

from comparisons import __version__
from comparisons.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "comparisons.cli", *args], capture_output=True, text=True)


def test_version_and_tasks():
    r = run("--version")
    assert r.returncode == 0 and __version__ in r.stdout
    r = run("tasks")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    digits = next(line for line in lines if line.startswith("digits")).split()
    assert digits[1:6] == ["multiclass", "1347", "450", "64", "10"]
    assert any(line.startswith("bars") and "multilabel" in line for line in lines)


def test_user_error_is_one_line_exit_2(tmp_path):
    r = run("tasks", "--data-dir", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1


def test_main_in_process(capsys):
    assert main(["tasks"]) == 0
    assert "bars" in capsys.readouterr().out
