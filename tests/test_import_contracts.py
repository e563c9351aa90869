"""The import contracts (pyproject.toml, checked by ``lint-imports`` in ``make lint``) hold, and bite.

Each contract is shown to fail on a tree that breaks it: a copy of the package
with a private engine import or an import cycle added. The real tree is then
checked, so a private import or a cycle that slips in fails the suite as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

sys.path.insert(0, str(ROOT))
from tools.import_contracts import AcyclicModulesContract, PublicApiContract  # noqa: E402

#: Cycles that the structure work (issue 14) is removing on other branches; none may be added.


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    """A graph of these imports, with every parent package present as in a real package."""
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for module in (importer, imported):
            parts = module.split(".")
            for depth in range(1, len(parts)):
                graph.add_module(".".join(parts[:depth]))
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return graph


def _front_door() -> PublicApiContract:
    options = {"package": "pkg.engine", "public_modules": ["pkg.engine", "pkg.engine.sub"], "importers": ["pkg.ui"]}
    return PublicApiContract(name="front door", session_options={}, contract_options=options)


def test_public_api_allows_the_public_modules_and_the_engine_inside() -> None:
    graph = _graph(("pkg.ui.views", "pkg.engine"), ("pkg.ui", "pkg.engine.sub"), ("pkg.engine", "pkg.engine.core"))
    assert _front_door().check(graph, verbose=False).kept


def test_public_api_refuses_a_private_module_even_a_new_one() -> None:
    graph = _graph(("pkg.ui.views", "pkg.engine"), ("pkg.ui.views", "pkg.engine.sub.deep"))
    check = _front_door().check(graph, verbose=False)
    assert not check.kept
    assert [(link["importer"], link["imported"]) for link in check.metadata["illegal"]] == [
        ("pkg.ui.views", "pkg.engine.sub.deep")
    ]


def test_acyclic_modules_finds_a_cycle_of_any_length_and_nothing_else() -> None:
    contract = AcyclicModulesContract(name="no cycles", session_options={}, contract_options={"package": "pkg"})
    chain = (("pkg.a", "pkg.b"), ("pkg.b", "pkg.sub.c"), ("pkg.d", "pkg.a"))
    assert contract.check(_graph(*chain), verbose=False).kept
    check = contract.check(_graph(*chain, ("pkg.sub.c", "pkg.a")), verbose=False)
    assert not check.kept
    assert check.metadata["cycles"] == [["pkg.a", "pkg.b", "pkg.sub.c"]]


def _lint_imports(src: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` as ``make lint`` does, on the package found in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo", *(f"--contract={c}" for c in contracts)]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """A copy of the package's Python modules, to break on purpose."""
    source = ROOT / "src" / "community_insights"
    shutil.copytree(source, tmp_path / "community_insights", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.mark.slow
def test_lint_imports_fails_on_a_private_engine_import(tree_copy: Path) -> None:
    tables = tree_copy / "community_insights" / "cli" / "tables.py"
    tables.write_text(tables.read_text() + "\nfrom community_insights.safety.readers import Table as _Table\n")
    result = _lint_imports(tree_copy, "engine-front-door")
    assert result.returncode != 0
    assert "community_insights.cli.tables -> community_insights.safety.readers" in " ".join(result.stdout.split())


@pytest.mark.slow
def test_lint_imports_fails_on_an_import_cycle(tree_copy: Path) -> None:
    core = tree_copy / "community_insights" / "safety"
    (core / "loop_a.py").write_text("from community_insights.safety import loop_b\n")
    (core / "loop_b.py").write_text("from community_insights.safety import loop_a\n")
    result = _lint_imports(tree_copy, "no-cycles")
    assert result.returncode != 0
    assert "community_insights.safety.loop_a, community_insights.safety.loop_b" in " ".join(result.stdout.split())


@pytest.mark.slow
def test_the_real_tree_keeps_the_layers_and_the_front_door() -> None:
    result = _lint_imports(ROOT / "src", "layers", "engine-without-django", "engine-front-door", "engine-acyclic")
    assert result.returncode == 0, result.stdout


def test_the_real_tree_has_no_import_cycle() -> None:
    graph = grimp.build_graph("community_insights")
    contract = AcyclicModulesContract(
        name="no cycles", session_options={}, contract_options={"package": "community_insights"}
    )
    cycles = {", ".join(group) for group in contract.check(graph, verbose=False).metadata["cycles"]}
    assert not cycles, f"import cycles: {sorted(cycles)}"


def test_make_lint_runs_the_import_contracts() -> None:
    makefile = (ROOT / "Makefile").read_text()
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint_recipe
