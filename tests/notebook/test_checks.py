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


def test_hints_come_in_steps_and_the_last_one_stays() -> None:
    steps = ["The idea: money is in cents.", "The code: 1358"]
    for expected in ("Hint 1 of 2: The idea", "Hint 2 of 2: The code", "Hint 2 of 2: The code"):
        with pytest.raises(AssertionError, match=expected):
            check(False, "ok", steps)
    check(True, "ok", steps)  # a success starts the steps again
    with pytest.raises(AssertionError, match="Hint 1 of 2"):
        check(False, "ok", steps)


def test_a_whole_number_is_an_int_of_any_kind() -> None:
    import numpy

    from helpers.notebook.checks import is_whole_number

    assert is_whole_number(12) and is_whole_number(numpy.int64(12))
    assert not is_whole_number(12.0) and not is_whole_number(True) and not is_whole_number("12")


def test_the_integration_choices_say_which_shop_is_wrong(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from helpers import check_integration_choices

    right = {
        "food truck": "hosted",
        "bookshop": "iframe",
        "florist": "virtual_terminal",
        "call centre": "api_only",
    }
    check_integration_choices(right)
    assert capsys.readouterr().out.startswith("✅")
    with pytest.raises(AssertionError, match="Not the florist yet"):
        check_integration_choices({**right, "florist": "api_only"})
    with pytest.raises(AssertionError, match="missing: bookshop"):
        check_integration_choices({k: v for k, v in right.items() if k != "bookshop"})


def test_a_truth_value_may_come_from_numpy() -> None:
    import numpy as np

    from helpers.notebook.checks import is_truth_value

    assert is_truth_value(True) and is_truth_value(np.bool_(False))
    assert not is_truth_value(1) and not is_truth_value("False") and not is_truth_value(None)


def test_integration_choices_may_be_written_any_usual_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from helpers import check_integration_choices

    check_integration_choices(
        {
            "Food Truck": "Hosted Checkout",
            "bookshop": "iframe + API",
            "florist": "Virtual Terminal",
            "call_centre": "API-only",
        }
    )
    assert capsys.readouterr().out.startswith("✅")
    with pytest.raises(AssertionError, match="Not the bookshop yet"):
        check_integration_choices(
            {"food truck": "hosted", "bookshop": "api only", "florist": "vt", "call centre": "api"}
        )


def test_the_deposit_reason_may_be_written_as_a_choice_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import numpy as np
    import pandas as pd

    from helpers import check_net_captured

    book = pd.DataFrame(
        {"brand": ["AMEX", "VISA"], "amount_captured": [5000, 700], "amount_refunded": [1000, 0]}
    )
    check_net_captured(np.int64(4000), book, "(C)")
    assert "$40.00 net captured on AMEX" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="whole number of cents"):
        check_net_captured(40.0, book, "c")


def test_a_predicted_count_may_be_written_as_a_float_but_not_as_a_bool(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from types import SimpleNamespace

    from helpers import check_cancel_prediction

    canceled = SimpleNamespace(redirect="https://pinewood.example/cart")
    session = SimpleNamespace(checkoutSessionId="S1")
    receiver = SimpleNamespace(events=[SimpleNamespace(data="another session")])
    check_cancel_prediction(0.0, canceled, session, receiver)
    assert capsys.readouterr().out.startswith("✅ Canceled")
    with pytest.raises(AssertionError, match="as a number"):
        check_cancel_prediction(False, canceled, session, receiver)
