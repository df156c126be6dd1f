"""DESIGN.md's import table, enforced by parsing every module's imports."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROJECT = {"probes", "snn", "dense", "comparisons"}
# package -> the project modules it may import (prefix match)
ALLOWED = {
    "probes": {"probes"},
    "snn": {"snn", "probes.interface", "probes.support"},
    "dense": {"dense", "probes.interface", "probes.support"},
    "comparisons": {"comparisons", "probes", "snn", "dense"},
}


def imports_of(path: pathlib.Path, package: str):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve inside the package
                base = ".".join(path.relative_to(ROOT).with_suffix("").parts[: -node.level])
                name = f"{base}.{node.module}" if node.module else base
                yield node.lineno, name
            elif node.module:
                yield node.lineno, node.module


def _allowed(name: str, allowed: set[str]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_follow_design(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"package {package} has no modules"
    bad = []
    for f in files:
        for line, name in imports_of(f, package):
            top = name.split(".")[0]
            if top in PROJECT and not _allowed(name, ALLOWED[package]):
                bad.append(f"{f.relative_to(ROOT)}:{line} imports {name}")
    assert not bad, "imports that DESIGN.md forbids:\n" + "\n".join(bad)


def test_checker_catches_a_forbidden_import(tmp_path, monkeypatch):
    # The rule must be able to fail: a fake snn module importing dense is flagged.
    fake = ROOT / "snn" / "_tmp_forbidden_probe.py"
    fake.write_text("import dense.network\nfrom probes import decoding\n")
    try:
        names = [n for _, n in imports_of(fake, "snn")]
        assert [n for n in names if not _allowed(n, ALLOWED["snn"])] == ["dense.network", "probes"]
    finally:
        fake.unlink()


def test_no_module_imports_a_private_name_of_another_module():
    """What one module needs of another is public API (no ``from x import _name``)."""
    bad = []
    for package in sorted(ALLOWED):
        for f in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(f.read_text(), filename=str(f))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PROJECT:
                    bad += [
                        f"{f.relative_to(ROOT)}:{node.lineno} imports {node.module}.{a.name}"
                        for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")
                    ]
    assert not bad, "private names imported across modules:\n" + "\n".join(bad)


def test_reading_configs_and_studies_imports_no_numerical_library():
    """A study's client, `study show` and config loading import neither torch, numba, SciPy's
    statistics nor scikit-learn (seconds each): the networks and measurements load them when used."""
    import subprocess
    import sys

    heavy = ["torch", "numba", "scipy.stats", "sklearn", "brian2", "matplotlib"]
    script = (
        "import sys, comparisons.cli, comparisons.study, comparisons.config, dense, snn, probes.registry; "
        "comparisons.study.load_study(sys.argv[1]); comparisons.config.load_config(); "
        f"print([m for m in {heavy!r} if m in sys.modules]); "
        "from dense import DenseNetwork; from snn import SpikingNetwork; "  # the lazy names resolve
        "print(DenseNetwork.__module__, SpikingNetwork.__module__)"
    )
    study = ROOT / "studies" / "asynchrony.toml"
    r = subprocess.run([sys.executable, "-c", script, str(study)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[]", "dense.network snn.network"]
