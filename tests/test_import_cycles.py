"""No import cycle inside the command line, the services, the reports or sync, and the services
reach nothing above them (function-level imports count: grimp reads them all)."""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ["desktop.cli", "desktop.services", "desktop.reports", "desktop.sync"]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("desktop", "db")


def _cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    modules = {package} | graph.find_descendants(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.find_modules_directly_imported_by(v) & modules:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_cycle_inside(graph: grimp.ImportGraph, package: str) -> None:
    assert _cycles(graph, package) == []


def test_services_import_nothing_above_them(graph: grimp.ImportGraph) -> None:
    services = {"desktop.services"} | graph.find_descendants("desktop.services")
    above = ("desktop.reports", "desktop.ui", "desktop.cli", "desktop.sync")
    reached = {
        (module, imported)
        for module in services
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith(above)
    }
    assert reached == set()


def test_the_checker_sees_a_cycle() -> None:
    """The oracle: a graph with a cycle is reported (so an empty answer means something)."""
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph, "p") == [["p.a", "p.b"]]
