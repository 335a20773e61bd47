from __future__ import annotations

import pytest

from helpers import check


def test_success_prints_a_tick(capsys: pytest.CaptureFixture[str]) -> None:
    check(1 + 1 == 2, "Two it is.", "Add again.")
    assert capsys.readouterr().out == "✅ Two it is.\n"
    check(lambda: True, "Callable works.", "never shown")
    assert capsys.readouterr().out == "✅ Callable works.\n"


def test_failure_raises_with_the_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(AssertionError, match="❌ Use cents: 1358"):
        check(13.58 == 1358, "ok", "Use cents: 1358")
    with pytest.raises(AssertionError, match="❌ Charge first"):
        check(lambda: None, "ok", "Charge first")
    assert capsys.readouterr().out == ""


def test_a_callable_that_raises_fails_with_the_hint() -> None:
    def unfinished() -> bool:
        return undefined_name == 1  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(AssertionError, match=r"❌ Define it first \(NameError"):
        check(unfinished, "ok", "Define it first")
