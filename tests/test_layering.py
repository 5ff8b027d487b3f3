"""The house's shape, enforced: which package may import which, and how large a piece may grow.

Read from the source (AST), imports inside functions included, so a lazy import cannot slip past.
The rules are the ones each package's `__init__` states and ARCHITECTURE.md draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "monitoring"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
LONG_REASON = "# Long:"

# package → monitoring packages it must never import (besides `present`/`cli`, banned for all
# of the domain below)
NARROWER = {
    "store": ("monitoring.lbf", "monitoring.ingest", "monitoring.progress", "monitoring.compare"),
    "lbf": ("monitoring.store", "monitoring.ingest", "monitoring.progress", "monitoring.compare"),
    "progress": ("monitoring.compare", "monitoring.ingest", "monitoring.lbf"),
}
UI_PACKAGES = ("monitoring.present", "monitoring.report", "monitoring.cli")


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) for every import in the file; relative imports made absolute."""
    found = []
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _domain_modules() -> list[Path]:
    ui = {PACKAGE / "present", PACKAGE / "report", PACKAGE / "cli"}
    return [
        p
        for p in _modules(PACKAGE)
        if not any(d in p.parents for d in ui) and p.name != "__main__.py"
    ]


def test_the_rules_see_every_package():
    """A rule about a package that was renamed away would pass while checking nothing."""
    for name in [*NARROWER, "present", "report", "cli"]:
        assert (PACKAGE / name / "__init__.py").is_file(), name
    assert len(_domain_modules()) > 30


def test_no_module_in_monitoring_imports_streamlit():
    offenders = [
        f"{_name(path)}:{line}"
        for path in _modules(PACKAGE)
        for line, module, _ in _imports(path)
        if _within(module, ("streamlit",))
    ]
    assert offenders == []


def test_the_domain_never_imports_presentation_or_the_cli():
    offenders = [
        f"{_name(path)}:{line} imports {module}"
        for path in _domain_modules()
        for line, module, names in _imports(path)
        if _within(module, UI_PACKAGES)
        or (module == "monitoring" and {"present", "report", "cli"} & set(names))
    ]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(NARROWER))
def test_each_package_imports_only_what_its_init_allows(package):
    offenders = [
        f"{_name(path)}:{line} imports {module}"
        for path in _modules(PACKAGE / package)
        for line, module, _ in _imports(path)
        if _within(module, NARROWER[package])
    ]
    assert offenders == []


def test_pages_import_only_public_names():
    offenders = []
    for path in [ROOT / "app.py", *_modules(ROOT / "app_pages")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {"monitoring"}
        for line, module, names in _imports(path):
            if not module.startswith(("monitoring", "app_pages")):
                continue
            modules |= {module, *(n for n in names if module == "monitoring")}
            offenders += [f"{path.name}:{line} {module}.{n}" for n in names if n.startswith("_")]
            offenders += [
                f"{path.name}:{line} {module}" for part in module.split(".") if part.startswith("_")
            ]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in {m.rpartition(".")[2] for m in modules}
            ):
                offenders.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert offenders == []


def test_no_module_in_monitoring_is_longer_than_the_limit():
    long = {
        _name(p): n
        for p in _modules(PACKAGE)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_a_long_function_says_why_beside_it():
    unexplained = []
    for path in _modules(PACKAGE):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.end_lineno - node.lineno + 1 <= MAX_FUNCTION_LINES:
                continue
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if not lines[first - 2].strip().startswith(LONG_REASON):
                unexplained.append(f"{_name(path)}.{node.name}")
    assert unexplained == []


def test_every_package_says_what_it_is_for_and_what_it_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        if init.parent.name in ("migrations",):
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "import" in doc.split("\n\n")[0].lower(), init
