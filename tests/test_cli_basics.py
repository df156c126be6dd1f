"""The command line's basics. Two subprocess smoke tests check the installed entry point as a
user runs it (exit codes and stderr of a real process); everything else runs in-process."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from comparisons import __version__
from comparisons.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, "-m", "comparisons.cli", *args], capture_output=True, text=True)


def test_subprocess_tasks():
    r = run("tasks")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    digits = next(line for line in lines if line.startswith("digits")).split()
    assert digits[1:6] == ["multiclass", "1347", "450", "64", "10"]
    assert any(line.startswith("bars") and "multilabel" in line for line in lines)


def test_subprocess_user_error_is_one_line_exit_2(tmp_path):
    r = run("tasks", "--data-dir", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_version_is_single_sourced(capsys):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "comparisons.__version__"}
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"scrutable {__version__}"


def test_unknown_command_in_process(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.startswith("error: ") and err.count("\n") == 1


def test_main_in_process(capsys):
    assert main(["tasks"]) == 0
    assert "bars" in capsys.readouterr().out
