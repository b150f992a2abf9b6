"""Every ```python block of docs/**/*.md runs (blocks of one page share a namespace, in a scratch folder)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def python_blocks(page: Path) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]


def test_the_docs_are_there():
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    required = {"index.md", "quickstart.md", "worked-example.md", "choosing-a-model.md", "coming-from.md",
                "command-line.md", "export-and-plots.md",
                "models/radial.md", "models/sbm.md", "models/ddf.md", "models/nddf.md", "models/sbm-ddf.md",
                "indices/malmquist-ml.md", "indices/gml.md", "indices/sml.md", "indices/luenberger.md",
                "indices/biennial-window.md", "indices/cumulative-gtfp.md"}
    assert required <= names, required - names


@pytest.mark.parametrize("page", [p for p in PAGES if p.parent.name in ("models", "indices")],
                         ids=lambda p: p.relative_to(DOCS).as_posix())
def test_model_and_index_pages_have_lp_source_convention_and_example(page):
    text = page.read_text(encoding="utf-8")
    if page.name != "cumulative-gtfp.md":
        assert "$$" in text, "the LP or formula in LaTeX"
    assert re.search(r"^## Source", text, re.MULTILINE), "a Source section"
    assert re.search(r"^## (Score|Index) convention", text, re.MULTILINE), "a convention section"
    assert python_blocks(page), "a runnable example"


def test_links_between_pages_resolve():
    # the README and the changelog link into docs/ (the performance measurements, the release checklist) too
    for page in PAGES + [DOCS.parent / "README.md", DOCS.parent / "CHANGELOG.md"]:
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).resolve().is_file(), f"{page.name}: broken link {target}"


@pytest.mark.parametrize("page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.relative_to(DOCS).as_posix())
def test_examples_run(page, tmp_path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for line, code in python_blocks(page):
        try:
            exec(compile(code, f"{page.relative_to(DOCS)}:{line}", "exec"), namespace)  # noqa: S102
        except Exception as exc:  # name the page and line of the failing block
            raise AssertionError(f"{page.relative_to(DOCS)}, block at line {line}: {type(exc).__name__}: {exc}") from exc
    import matplotlib.pyplot as plt

    plt.close("all")


def test_readme_quick_start_runs(tmp_path, monkeypatch):
    """The README's quick start is the first code a newcomer copies: it must run as printed."""
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.DOTALL | re.MULTILINE).group(1)
    blocks = BLOCK.findall(section)
    assert blocks, "the quick start has a python block"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__readme__"}
    for code in blocks:
        exec(compile(code, "README.md: quick start", "exec"), namespace)  # noqa: S102
    assert namespace["res"].status.eq("optimal").mean() > 0.99
    assert namespace["gtfp"]["gtfp"].notna().all()


def test_citation_and_changelog_name_the_package_version():
    """CITATION.cff's version and the CHANGELOG's newest release are the version the package reports."""
    import frontier

    root = Path(__file__).resolve().parent.parent
    cff = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r'^version: "?([^"\n]+)"?$', cff, re.M).group(1) == frontier.__version__
    releases = re.findall(r"^## \[(\d[^\]]*)\]", (root / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert releases and releases[0] == frontier.__version__
