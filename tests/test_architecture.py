"""The house's shape, checked: dependencies point one way (DESIGN.md section 2).

Every import of every product module (late and ``TYPE_CHECKING`` ones too) is read with
:mod:`ast` and its layer compared with the importer's:

* **core** (``mdr`` but its features and the CLI): imports only the core;
* **entities** (the dataset specs, identifiers, vocabulary, synthetic data): the core;
* **features** (``sync``, ``reconciliation``, ``mdr.quality``, ``mdr.notify``): the core,
  ``entities`` and themselves, never another feature, the API or the CLI;
* **assembly** (``api`` and ``mdr.cli``): anything; the API never imports the CLI;
* **migrations**: the core, ``entities`` and the features (their tables make the
  complete metadata), never the API or the CLI.

One exception, with its reason: ``mdr.db.migrate`` names the ``migrations`` package to
find its scripts (it imports no migration).
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("mdr", "entities", "sync", "reconciliation", "api", "migrations")
FEATURES = ("sync", "reconciliation", "mdr.quality", "mdr.notify")
ALLOWED = {
    "core": {"core"},
    "entities": {"core", "entities"},
    "feature": {"core", "entities"},  # and itself: see _allowed
    "api": {"core", "entities", "feature", "api", "migrations"},
    "cli": {"core", "entities", "feature", "api", "cli", "migrations"},
    "migrations": {"core", "entities", "feature", "migrations"},
}
EXCEPTIONS = {("mdr.db.migrate", "migrations")}


def layer(module: str) -> tuple[str, str] | None:
    """(layer, unit) of a module of ours; the unit tells features apart."""
    for feature in FEATURES:
        if module == feature or module.startswith(feature + "."):
            return "feature", feature
    top = module.split(".")[0]
    if module == "mdr.cli" or module.startswith("mdr.cli."):
        return "cli", "cli"
    return {"mdr": ("core", "core"), "entities": ("entities", "entities"),
            "api": ("api", "api"), "migrations": ("migrations", "migrations")}.get(top)


def _allowed(source: tuple[str, str], target: tuple[str, str]) -> bool:
    if source[0] == "feature" and target[0] == "feature":
        return source[1] == target[1]
    return target[0] in ALLOWED[source[0]]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in ``path``, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from mdr import quality`: the names may be modules of another layer
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                      if layer(f"{node.module}.{alias.name}") != layer(node.module)]
    return found


def product_modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def violations() -> list[str]:
    found = []
    for path in product_modules():
        source_module = module_name(path)
        source = layer(source_module)
        assert source is not None, path
        for line, target_module in imports(path):
            target = layer(target_module)
            if target is None or (source_module, target_module.split(".")[0]) in EXCEPTIONS:
                continue
            if not _allowed(source, target):
                found.append(f"{path.relative_to(REPO)}:{line}: {source_module} ({source[0]}) "
                             f"imports {target_module} ({target[0]})")
    return found


def test_dependencies_point_one_way() -> None:
    assert violations() == []


def test_the_checker_sees_what_it_must_refuse(tmp_path: Path) -> None:
    """The rules refuse the leaks this project has had (late imports included)."""
    assert not _allowed(("feature", "reconciliation"), ("feature", "sync"))
    assert not _allowed(("core", "core"), ("entities", "entities"))
    assert not _allowed(("migrations", "migrations"), ("api", "api"))
    assert not _allowed(("api", "api"), ("cli", "cli"))
    assert _allowed(("feature", "sync"), ("feature", "sync"))
    assert layer("mdr.quality.rules") == ("feature", "mdr.quality")
    assert layer("mdr.access.gate") == ("core", "core")
    late = tmp_path / "late.py"
    late.write_text("def f():\n    from sync.mapping import load_mapping\n"
                    "from mdr import quality\n")
    assert (2, "sync.mapping") in imports(late)
    assert (3, "mdr.quality") in imports(late)
