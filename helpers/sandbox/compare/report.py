"""The tour's results and their three forms: a Markdown report, a self-contained HTML page
(a table per flow, differences first, red for unexplained, amber for the kit's choices
(docs/choices.md), green for same), and a masked recording per flow in the format of
tests/contract/pages/ (README there), which the suite replays once copied to
tests/contract/recordings/."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.masking import mask_headers, mask_payload, mask_text
from helpers.sandbox.compare.engine import Difference


@dataclass
class Step:
    name: str
    request: dict[str, Any]
    clover: dict[str, Any] | None = None  # {"status", "body", "headers"}, masked on write
    local: dict[str, Any] | None = None
    differences: list[Difference] = field(default_factory=list)
    not_run: str | None = None

    @property
    def unexplained(self) -> list[Difference]:
        return [d for d in self.differences if d.choice is None]


@dataclass
class FlowResult:
    name: str
    page: str
    steps: list[Step] = field(default_factory=list)
    not_run: str | None = None


@dataclass
class Report:
    against: str
    flows: list[FlowResult]
    seconds: float

    def steps(self) -> list[Step]:
        return [step for flow in self.flows for step in flow.steps]

    def differences(self) -> list[tuple[FlowResult, Step, Difference]]:
        return [(f, s, d) for f in self.flows for s in f.steps for d in s.differences]

    def summary(self) -> str:
        """`N steps compared in F flows (K not run) in T s: U unexplained differences, C the
        kit's choices`: the line the command prints and the report opens with."""
        skipped = sum(1 for step in self.steps() if step.not_run)
        flows = sum(1 for flow in self.flows if not flow.not_run)
        found = [difference for *_, difference in self.differences()]
        unexplained = sum(1 for difference in found if difference.choice is None)
        return (
            f"{len(self.steps()) - skipped} steps compared in {flows} flows ({skipped} not run) "
            f"in {self.seconds:.1f} s: {unexplained} unexplained differences, "
            f"{len(found) - unexplained} the kit's choices"
        )


def _state(step: Step) -> str:
    if step.not_run:
        return "not run"
    if step.unexplained:
        return "differs"
    return "chosen" if step.differences else "same"


RANK = {"differs": 0, "chosen": 1, "not run": 2, "same": 3}


def _ordered(flow: FlowResult) -> list[tuple[int, Step]]:
    """Differences first, then the kit's choices, then steps not run, then the same; each
    with its number in the flow, so the order the requests were sent in stays readable."""
    return sorted(enumerate(flow.steps, 1), key=lambda pair: RANK[_state(pair[1])])


def _flows(report: Report) -> list[FlowResult]:
    """Flows with differences first, in the same order as their steps."""

    def rank(flow: FlowResult) -> int:
        if flow.not_run:
            return RANK["not run"]
        return min((RANK[_state(step)] for step in flow.steps), default=RANK["same"])

    return sorted(report.flows, key=rank)


_ANSWER = re.compile(r"\{\{answer:(\d+)\.([^}]+)\}\}")
_OTHER = re.compile(r"\{\{\w+:([^}]+)\}\}")


def _request_line(request: dict[str, Any]) -> str:
    """`POST /v1/charges/{2.id}/capture`: a value of step 2's answer (steps count from 1)."""
    path = _ANSWER.sub(lambda m: f"{{{int(m.group(1)) + 1}.{m.group(2)}}}", request["path"])
    path = _OTHER.sub(lambda m: f"{{{m.group(1)}}}", path)
    return f"{request['method']} {mask_text(path)}"


def markdown(report: Report) -> str:
    lines = [
        "# How far the local sandbox is from Clover",
        "",
        f"Compared against {report.against}. {report.summary()}.",
        "",
        "Each step sent the same request to both (`{2.id}` in a path: the id step 2 "
        "answered, each side its own); ids and times are compared by shape only. A difference "
        "the kit chose on purpose names its reason (docs/choices.md).",
    ]
    for flow in _flows(report):
        lines += ["", f"## {flow.name}", "", f"Clover's page: {flow.page}", ""]
        if flow.not_run:
            lines.append(f"Not run: {flow.not_run}.")
            continue
        lines += ["| step | request | Clover | local | result |", "|---|---|---|---|---|"]
        for number, step in _ordered(flow):
            clover = step.clover["status"] if step.clover else "-"
            local = step.local["status"] if step.local else "-"
            result = _state(step) if not step.not_run else f"not run: {step.not_run}"
            lines.append(
                f"| {number}. {step.name} | `{_request_line(step.request)}` | {clover} | {local} "
                f"| {result} |"
            )
        for _, step in _ordered(flow):
            for d in step.differences:
                why = f" (kit's choice: {d.choice})" if d.choice else ""
                lines.append(f"- **{step.name}**, {d.line()}{why}".replace("|", "\\|"))
    return "\n".join(lines) + "\n"


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
.differs{background:#fdd}.chosen{background:#ffe9b3}.same{background:#dfd}
.not-run{background:#eee;color:#555}code{font-size:.9em}
"""


def html_page(report: Report) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Sandbox fidelity report</title><style>{_STYLE}</style></head><body>",
        "<h1>How far the local sandbox is from Clover</h1>",
        f"<p>Compared against {e(report.against)}. {e(report.summary())}.</p>",
        "<p>Red: an unexplained difference. Amber: a difference the kit chose on purpose "
        "(docs/choices.md). Grey: not run. Green: the same. Ids and times are compared by "
        "shape only; <code>{2.id}</code> in a path is the id step 2 answered.</p>",
    ]
    for flow in _flows(report):
        parts.append(f"<h2>{e(flow.name)}</h2><p><a href='{e(flow.page)}'>{e(flow.page)}</a></p>")
        if flow.not_run:
            parts.append(f"<p class='not-run'>Not run: {e(flow.not_run)}.</p>")
            continue
        parts.append(
            "<table><tr><th>step</th><th>request</th><th>Clover</th><th>local</th>"
            "<th>differences</th></tr>"
        )
        for number, step in _ordered(flow):
            state = _state(step).replace(" ", "-")
            if step.not_run:
                found = f"not run: {e(step.not_run)}"
            elif step.differences:
                found = "<br>".join(
                    e(d.line()) + (f" <em>(kit's choice: {e(d.choice)})</em>" if d.choice else "")
                    for d in step.differences
                )
            else:
                found = "same"
            parts.append(
                f"<tr class='{state}'><td>{number}. {e(step.name)}</td>"
                f"<td><code>{e(_request_line(step.request))}</code></td>"
                f"<td>{step.clover['status'] if step.clover else '-'}</td>"
                f"<td>{step.local['status'] if step.local else '-'}</td><td>{found}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def recording(flow: FlowResult, against: str, on: str) -> dict[str, Any] | None:
    """Clover's answers to one flow, masked, in the pages format; cut before the first step
    Clover did not answer (later steps' placeholders count exchanges by position)."""
    exchanges = []
    for step in flow.steps:
        if step.clover is None:
            break
        answer = {
            "status": step.clover["status"],
            "body": mask_payload(step.clover["body"]),
            "headers": mask_headers(step.clover.get("headers", {})),
        }
        exchange: dict[str, Any] = {
            "name": step.name,
            "request": step.request,
            "clover_answer": answer,
        }
        chosen = {d.path: d.choice for d in step.differences if d.choice}
        if chosen:  # the differences the kit explains, so the replay does not fail on them
            exchange["choices"] = chosen
        exchanges.append(exchange)
    if flow.not_run or not exchanges:
        return None
    return {
        "page": flow.page,
        "recorded": {"by": "python -m helpers.sandbox compare", "against": against, "on": on},
        "exchanges": exchanges,
    }


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write(report: Report, out: Path, on: str) -> list[Path]:
    """report.md, report.html and recording/<flow>.json under `out`; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "recording").mkdir(exist_ok=True)
    written = [out / "report.md", out / "report.html"]
    written[0].write_text(markdown(report))
    written[1].write_text(html_page(report))
    for flow in report.flows:
        recorded = recording(flow, report.against, on)
        if recorded is not None:
            path = out / "recording" / f"{slug(flow.name)}.json"
            path.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
            written.append(path)
    return written
