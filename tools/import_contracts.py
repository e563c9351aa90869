"""Import contracts that import-linter does not ship, used by ``lint-imports`` (see pyproject.toml).

``public_api`` is the engine's front door. import-linter's own ``protected``
contract needs every internal module listed by name, so an engine module added
later would be open to the portal and the command line until someone
remembered to list it. This contract turns that round: it names the few public
modules, and every other module of the engine is private by default.

``acyclic_modules`` forbids a cycle between any two modules. import-linter's
``acyclic_siblings`` works a level up, on packages, so it would also refuse
two portal apps that use each other's modules without any module cycle; that
is a matter for the apps' design, not a cycle a reader trips over.
"""

from __future__ import annotations

from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output


class PublicApiContract(Contract):
    """Modules outside ``package`` may import only its ``public_modules``, never its other modules.

    Options:
        package: the package whose inside is private (its own modules may import one another freely).
        public_modules: the modules of ``package`` that others may import (the package itself is
            listed too when it is public); their submodules are not public unless listed.
        importers: the packages whose imports are checked (with all their descendants).
    """

    type_name = "public_api"

    package = fields.ModuleField()
    public_modules = fields.ListField(subfield=fields.ModuleField())
    importers = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        package: str = self.package.name  # type: ignore[attr-defined]
        public = {module.name for module in self.public_modules}  # type: ignore[attr-defined]
        illegal: list[dict[str, Any]] = []
        for root in self.importers:  # type: ignore[attr-defined]
            importers = {root.name} | graph.find_descendants(root.name)
            for importer in sorted(importers):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    inside = imported == package or imported.startswith(package + ".")
                    if inside and imported not in public:
                        details = graph.get_import_details(importer=importer, imported=imported)
                        lines = tuple(detail["line_number"] for detail in details)
                        illegal.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for link in check.metadata["illegal"]:
            lines = ", ".join(str(line) for line in link["lines"])
            output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False)
            output.new_line()
        public = ", ".join(module.name for module in self.public_modules)  # type: ignore[attr-defined]
        output.print_error(f"Import only the public modules instead: {public}.", bold=False)
        output.new_line()


class AcyclicModulesContract(Contract):
    """No module of ``package`` imports itself back through other modules (a cycle of any length).

    Options:
        package: the package whose modules are checked (with all its descendants).
    """

    type_name = "acyclic_modules"

    package = fields.ModuleField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        root: str = self.package.name  # type: ignore[attr-defined]
        modules = {root} | graph.find_descendants(root)
        edges = {module: graph.find_modules_directly_imported_by(module) & modules for module in modules}
        cycles = [sorted(group) for group in _strongly_connected(edges) if len(group) > 1]
        return ContractCheck(kept=not cycles, metadata={"cycles": sorted(cycles)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for group in check.metadata["cycles"]:
            output.print_error(f"- these modules import one another: {', '.join(group)}", bold=False)
            output.new_line()


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion: every group of modules that reach one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(edges[target]))))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return groups
