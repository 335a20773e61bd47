"""The course's paths, written from notebooks/paths.toml into every page that shows them.

    .venv/bin/python tools/paths.py           # rewrite the tables and the lessons' top lines
    .venv/bin/python tools/paths.py --check   # exit 1 if a page or a lesson has drifted

One data file, three pages (README.md, notebooks/00_welcome.ipynb, docs/facilitator.md) and
each lesson's "Time to learn" and "Paths" lines: nobody keeps a second copy by hand. A page
holds a generated table between ``<!-- course:NAME -->`` and ``<!-- /course:NAME -->``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # helpers, for the quiz data
NOTEBOOKS = ROOT / "notebooks"
DATA = NOTEBOOKS / "paths.toml"
# Each page that shows the paths, and how its links reach the notebooks folder.
PAGES = {
    ROOT / "README.md": "notebooks/",
    ROOT / "docs" / "facilitator.md": "../notebooks/",
    NOTEBOOKS / "00_welcome.ipynb": "",
}
REGION = re.compile(
    r"(<!-- course:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /course:(?P=name) -->)", re.S
)
TIME_LINE = re.compile(r"^- \*\*Time to learn:\*\*.*$", re.M)
PATHS_LINE = re.compile(r"^- \*\*Paths:\*\*.*\n", re.M)


@dataclass(frozen=True)
class Lesson:
    notebook: str
    title: str
    minutes: int
    basis: str
    simulated: int | None = None  # a simulated newcomer's minutes for the whole lesson

    @property
    def number(self) -> str:
        return self.notebook[:2]


@dataclass(frozen=True)
class Block:
    what: str
    minutes: int
    lesson: Lesson | None = None
    steps: str = ""
    simulated: int | None = None  # a simulated newcomer's minutes for this block

    @property
    def timed(self) -> int | None:
        """The block's minutes in a simulated newcomer's run, when one ran it; an opening,
        a break or a debrief lasts what the facilitator gives it."""
        if self.simulated is not None:
            return self.simulated
        if self.lesson is None:
            return self.minutes
        return None if self.steps else self.lesson.simulated


@dataclass(frozen=True)
class CoursePath:
    id: str
    title: str
    summary: str
    blocks: tuple[Block, ...]

    @property
    def minutes(self) -> int:
        return sum(block.minutes for block in self.blocks)

    def block_of(self, lesson: Lesson) -> Block | None:
        return next((block for block in self.blocks if block.lesson == lesson), None)


@dataclass(frozen=True)
class Course:
    lessons: tuple[Lesson, ...]
    paths: tuple[CoursePath, ...]


def load(data: Path = DATA) -> Course:
    """Read paths.toml; a lesson named twice, missing, or not on disk is an error here."""
    raw = tomllib.loads(data.read_text())
    lessons = tuple(Lesson(basis=item.get("basis", "estimate"), **_without(item, "basis"))
                    for item in raw["lesson"])  # fmt: skip
    by_file = {lesson.notebook: lesson for lesson in lessons}
    on_disk = sorted(path.name for path in data.parent.glob("[0-9][0-9]_*.ipynb"))
    if sorted(by_file) != on_disk or len(by_file) != len(lessons):
        raise ValueError(f"{data.name} must name each lesson once: {sorted(by_file)} != {on_disk}")
    paths = []
    for item in raw["path"]:
        if item.get("every_lesson"):
            blocks = [Block(lesson.title, lesson.minutes, lesson) for lesson in lessons]
        else:
            blocks = [_block(entry, by_file) for entry in item["block"]]
        paths.append(CoursePath(item["id"], item["title"], item["summary"], tuple(blocks)))
    return Course(lessons, tuple(paths))


def _without(item: dict[str, object], key: str) -> dict[str, object]:
    return {name: value for name, value in item.items() if name != key}


def _block(entry: dict[str, object], by_file: dict[str, Lesson]) -> Block:
    simulated = int(str(entry["simulated"])) if "simulated" in entry else None
    if "notebook" not in entry:
        return Block(str(entry["what"]), int(str(entry["minutes"])), simulated=simulated)
    lesson = by_file[str(entry["notebook"])]
    minutes = int(str(entry.get("minutes", lesson.minutes)))
    return Block(lesson.title, minutes, lesson, str(entry.get("steps", "")), simulated)


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if hours else f"{rest} min"


def lesson_link(lesson: Lesson, prefix: str) -> str:
    return f"[{lesson.number} {lesson.title}]({prefix}{lesson.notebook})"


def overview(course: Course, prefix: str) -> str:
    """One row a path: its time and its lessons."""
    rows = ["| path | time | lessons |", "|---|---|---|"]
    for path in course.paths:
        numbers = [block.lesson.number for block in path.blocks if block.lesson]
        rows.append(f"| **{path.title}**: {path.summary} | {duration(path.minutes)} | "
                    f"{', '.join(numbers)} |")  # fmt: skip
    return "\n".join(rows)


def lessons_table(course: Course, prefix: str) -> str:
    """One row a lesson: its time and the paths it is on."""
    rows = ["| lesson | time | " + " | ".join(p.title for p in course.paths) + " |",
            "|---|---|" + "---|" * len(course.paths)]  # fmt: skip
    for lesson in course.lessons:
        marks = []
        for path in course.paths:
            block = path.block_of(lesson)
            marks.append("" if block is None else "part" if block.steps else "yes")
        rows.append(f"| {lesson_link(lesson, prefix)} | {lesson.minutes} min | "
                    f"{' | '.join(marks)} |")  # fmt: skip
    return "\n".join(rows)


def agenda(path: CoursePath, prefix: str) -> str:
    """A path's blocks with the clock time each starts at."""
    rows = ["| at | block | minutes |", "|---|---|---|"]
    at = 0
    for block in path.blocks:
        what = block.what if block.lesson is None else lesson_link(block.lesson, prefix)
        if block.steps:
            what += f": {block.steps}"
        rows.append(f"| {clock(at)} | {what} | {block.minutes} |")
        at += block.minutes
    rows.append(f"| {clock(at)} | end | |")
    return "\n".join(rows)


def debrief(course: Course, prefix: str) -> str:
    """Each lesson's quiz for the facilitator: the question, the misconception, the right
    letter and why, why not each other letter, and the source, read from the quiz data
    (notebooks/quizzes/, through Quiz.debrief), never copied by hand."""
    from helpers.notebook.quiz import QUIZZES

    parts = []
    for lesson in course.lessons:
        quiz = QUIZZES.get(lesson.number)
        if quiz is None:
            continue
        parts.append(quiz.debrief(f"#### {lesson_link(lesson, prefix)}"))
    return "\n".join(parts).rstrip()


def timed(course: Course, prefix: str) -> str:
    """Each lesson's estimate beside a simulated newcomer's minutes, then each path's: a
    lesson nobody timed counts its estimate, and the table names it."""
    rows = ["| lesson | estimate | a simulated newcomer |", "|---|---|---|"]
    for lesson in course.lessons:
        took = "(only part timed: see below)" if lesson.simulated is None else lesson.simulated
        rows.append(f"| {lesson_link(lesson, prefix)} | {lesson.minutes} | {took} |")
    head = "| path | planned | a simulated newcomer | lessons not timed (their estimate counted) |"
    rows += ["", head, "|---|---|---|---|"]
    for path in course.paths:
        untimed = [block for block in path.blocks if block.timed is None]
        took = sum(block.minutes if block.timed is None else block.timed for block in path.blocks)
        names = ", ".join(block.lesson.number for block in untimed if block.lesson) or "none"
        rows.append(f"| {path.title} | {duration(path.minutes)} | {duration(took)} | {names} |")
    return "\n".join(rows)


def render(name: str, course: Course, prefix: str) -> str:
    if name == "timed":
        return timed(course, prefix)
    if name == "debrief":
        return debrief(course, prefix)
    if name == "overview":
        return overview(course, prefix)
    if name == "lessons":
        return lessons_table(course, prefix)
    if name.startswith("agenda-"):
        wanted = name.removeprefix("agenda-")
        return agenda(next(p for p in course.paths if p.id == wanted), prefix)
    raise ValueError(
        f"no table called {name!r} (overview, lessons, timed, debrief, agenda-<path id>)"
    )


def fill(text: str, course: Course, prefix: str) -> str:
    """``text`` with every paths region rewritten from the data."""
    return REGION.sub(
        lambda m: f"{m[1]}{render(m['name'], course, prefix)}\n{m[4]}",
        text,
    )


def top_lines(course: Course, lesson: Lesson) -> tuple[str, str]:
    """A lesson's "Time to learn" and "Paths" lines, as its top cell shows them."""
    basis = "measured" if lesson.basis == "measured" else "an estimate until a timed run"
    if lesson.simulated is not None:
        basis += f"; a simulated newcomer took {lesson.simulated}"
    time = f"- **Time to learn:** {lesson.minutes} minutes ({basis})"
    on = []
    for path in course.paths:
        block = path.block_of(lesson)
        if block is not None:
            on.append(f"{path.title} ({block.steps})" if block.steps else path.title)
    return time, f"- **Paths:** {', '.join(on)} ([all paths](00_welcome.ipynb#paths))\n"


def top_cell(source: str, course: Course, lesson: Lesson) -> str:
    time, paths = top_lines(course, lesson)
    source = PATHS_LINE.sub("", source)
    if not TIME_LINE.search(source):
        raise ValueError(f"{lesson.notebook}: its top cell has no '- **Time to learn:**' line")
    start = TIME_LINE.search(source)
    assert start is not None
    return source[: start.start()] + time + "\n" + paths + source[start.end() + 1 :]


def _notebook_changes(course: Course) -> dict[Path, nbformat.NotebookNode]:
    changed = {}
    for lesson in course.lessons:
        path = NOTEBOOKS / lesson.notebook
        notebook = nbformat.read(path, as_version=4)
        before = [cell.source for cell in notebook.cells]
        notebook.cells[0].source = top_cell(notebook.cells[0].source, course, lesson)
        if path in PAGES:
            for cell in notebook.cells:
                if cell.cell_type == "markdown":
                    cell.source = fill(cell.source, course, PAGES[path])
        if [cell.source for cell in notebook.cells] != before:
            changed[path] = notebook
    return changed


def _page_changes(course: Course) -> dict[Path, str]:
    changed = {}
    for page, prefix in PAGES.items():
        if page.suffix == ".md":
            text = page.read_text()
            if fill(text, course, prefix) != text:
                changed[page] = fill(text, course, prefix)
    return changed


def drifted(course: Course) -> list[Path]:
    """The pages and lessons that do not show what paths.toml says."""
    return list(_page_changes(course)) + list(_notebook_changes(course))


def write(course: Course) -> list[Path]:
    pages = _page_changes(course)
    for page, text in pages.items():
        page.write_text(text)
    notebooks = _notebook_changes(course)
    for path, notebook in notebooks.items():
        nbformat.write(notebook, path)
    return list(pages) + list(notebooks)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift")
    args = parser.parse_args(argv)
    course = load()
    if args.check:
        stale = drifted(course)
        for path in stale:
            print(f"{path.relative_to(ROOT)} differs from notebooks/paths.toml")
        if stale:
            print("run: .venv/bin/python tools/paths.py")
        return 1 if stale else 0
    for path in write(course):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
