"""A real JupyterHub class: three learners at once log in, open notebook 01 through the
hub, type a test card into the card fields (through the hub's proxy and Jupyter's) and see
the charge. The hub, its proxy and each learner's server are real processes; see hub.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chromium import unavailable

from .hub import Hub, run_class, start_hub

pytestmark = pytest.mark.browser

LEARNERS = 3


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    try:
        running = start_hub(tmp_path_factory.mktemp("real-hub"))
    except FileNotFoundError as missing:
        unavailable(str(missing))  # skipped on a laptop without it, a failure under CI
    yield running
    running.stop()


def test_three_learners_pay_in_notebook_01_through_a_real_hub(hub: Hub) -> None:
    runs = run_class(hub, LEARNERS, prefix="learner")
    failed = {run.name: repr(run.error) for run in runs if run.error is not None}
    assert failed == {}, f"{failed}\nthe hub's log: {hub.log}"
    for run in runs:
        assert run.refused == [], f"{run.name}'s browser asked beyond the hub: {run.refused}"
        home = hub.home(run.name)
        assert (home / "notebooks" / "01_iframe_and_api_flow.ipynb").exists()
    # each learner's own single-user server (and kernel) ran in their own home
    assert set(hub.processes()) == {run.name for run in runs}
    print(
        "\n"
        + "\n".join(
            f"{run.name}: logged in at {run.logged_in:.1f} s, first charge at "
            f"{run.first_charge:.1f} s ({run.card[4]} {run.card[5]})"
            for run in runs
        )
    )
