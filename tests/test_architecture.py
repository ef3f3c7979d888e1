"""No import cycle between any two of our modules, function-level imports included.

import-linter (`lint-imports`, in `make test`) checks the layers and the cycles between
siblings; this test is stricter (module by module, a package and its own modules included:
`desktop.cli` ↔ `desktop.cli.core` was one) and names the modules of each cycle.
"""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    ours = {m for m in graph.modules if m.split(".")[0] in {"desktop", "db"}}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(ours):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & ours)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child) & ours)))
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycle_between_our_modules() -> None:
    graph = grimp.build_graph("desktop", "db")
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    # The finder itself must be able to fail: a -> b -> c -> a is one component.
    graph = grimp.ImportGraph()
    for module in ("desktop.a", "desktop.b", "desktop.c", "desktop.d"):
        graph.add_module(module)
    graph.add_import(importer="desktop.a", imported="desktop.b")
    graph.add_import(importer="desktop.b", imported="desktop.c")
    graph.add_import(importer="desktop.c", imported="desktop.a")
    graph.add_import(importer="desktop.d", imported="desktop.a")
    assert _cycles(graph) == [["desktop.a", "desktop.b", "desktop.c"]]
