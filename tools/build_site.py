"""The course as a static website: the committed notebooks (with their outputs) and docs/.

    .venv/bin/python tools/build_site.py [--out _build/site] [--repository OWNER/REPO] [--ref HEAD]

Sphinx with MyST-NB renders the pages; nothing is executed and nothing is downloaded, so it
builds offline (Jupyter Book 2 fetches its theme from the internet at build time, which CI
cannot). The sources are staged as the repository lays them out (README.md becomes the
home page), so every link that works on GitHub works on the site. Each lesson gets a
"launch on Binder" link. After the build, every internal link and anchor of the HTML is
checked; a broken one fails the build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_links import broken_links

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "tools" / "site_conf"
OUT = ROOT / "_build" / "site"
# What the site shows, as globs from the repository's root; the rest of the repository is
# linked (as source files on GitHub) but not rendered.
PAGES = ["README.md", "docs/*.md", "notebooks/[0-9][0-9]_*.ipynb", "shop/README.md"]


def stage(target: Path) -> None:
    """Copy the pages into ``target`` as the repository lays them out; index.md is README."""
    if target.exists():
        shutil.rmtree(target)
    for pattern in PAGES:
        for source in sorted(ROOT.glob(pattern)):
            copy = target / source.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
    home = target / "README.md"
    pages = sorted(str(page.relative_to(target).with_suffix("")) for pattern in PAGES[1:]
                   for page in target.glob(pattern))  # fmt: skip
    lessons = [page for page in pages if page.startswith("notebooks/")]
    others = [page for page in pages if page not in lessons]
    # the site's navigation; GitHub shows the README without it
    toctree = "\n\n```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: {}\n\n{}\n```\n"
    navigation = toctree.format("Lessons", "\n".join(lessons)) + toctree.format(
        "Guides and reference", "\n".join(others)
    )
    (target / "index.md").write_text(home.read_text() + navigation)
    home.unlink()


def build(out: Path = OUT, repository: str = "OWNER/REPO", ref: str = "HEAD") -> list[str]:
    """Build the site into ``out``; returns the problems (Sphinx warnings, broken links)."""
    staging = out.parent / (out.name + "-src")
    stage(staging)
    command = [
        sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-a", "-c", str(CONF),
        "-D", f"kit_repository={repository}", "-D", f"kit_ref={ref}",
        "-w", str(out.parent / "site-warnings.txt"), str(staging), str(out),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    warnings = (out.parent / "site-warnings.txt").read_text().splitlines()
    problems = [line.replace(str(staging) + "/", "") for line in warnings if line.strip()]
    if result.returncode != 0:
        problems.append(f"sphinx exited {result.returncode}: {result.stderr.strip()[-2000:]}")
        return problems
    return problems + broken_links(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the HTML goes")
    parser.add_argument("--repository", default="OWNER/REPO", help="GitHub owner/name, for Binder")
    parser.add_argument("--ref", default="HEAD", help="the branch or tag Binder builds")
    args = parser.parse_args(argv)
    problems = build(args.out.resolve(), args.repository, args.ref)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s); the site is in {args.out}, not to be published as is")
        return 1
    print(f"the site is in {args.out}: open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
