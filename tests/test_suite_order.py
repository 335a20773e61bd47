"""The suite's own scheduling: the slow files start first on the xdist workers, as
conftest.py orders them, so a long file is not the last one left running on one worker;
and `-n auto` starts one worker more than the cores."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from xdist.scheduler import LoadFileScheduling


class Worker:
    """What the scheduler sees of an xdist worker: the tests it was sent, by index."""

    shutting_down = False

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send_runtest_some(self, indexes: list[int]) -> None:
        self.sent.extend(indexes)

    def shutdown(self) -> None:
        self.shutting_down = True


def test_xdist_starts_the_files_in_the_order_conftest_gives(request: pytest.FixtureRequest) -> None:
    """xdist's default reorders the files by their number of tests, most first: the Binder
    start, one test and the longest of all, was sent late, behind hundreds of quick ones."""
    slow = "tests/workshop/test_binder_start.py::test_a_simulated_binder_start"
    quick = [f"tests/resources/test_many.py::test_{n}" for n in range(40)]
    collection = [slow, *quick]
    # the suite's own options (pyproject's addopts), on one worker
    config = SimpleNamespace(option=request.config.option, getvalue=lambda name: ["popen"])
    scheduler = LoadFileScheduling(config)
    worker = Worker()
    scheduler.add_node(worker)
    scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    assert worker.sent[0] == collection.index(slow)


def test_auto_starts_one_worker_more_than_the_cores(request: pytest.FixtureRequest) -> None:
    """While one worker waits on a lab, Chromium or a download, another uses its core."""
    workers = request.config.hook.pytest_xdist_auto_num_workers(config=request.config)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert workers == (cores or 1) + 1
