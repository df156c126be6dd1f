import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from probes.interface import Ablate, Clamp, Patch, Recording, Steer, check_interventions
from probes.support import InterventionError

SITES = {"hidden": 4}


def _rec(n_units=4):
    return Recording({"hidden": np.arange(2 * n_units, dtype=np.float32).reshape(2, 1, n_units)}, np.zeros((2, 3)))


def test_valid_interventions_pass_and_are_frozen():
    ivs = check_interventions(
        [
            Ablate("hidden", [0, 2]),
            Clamp("hidden", [1], 2.5),
            Steer("hidden", [1, 0, 0, 0], 2),
            Patch("hidden", [3], _rec(), 1),
        ],
        SITES,
    )
    assert len(ivs) == 4
    with pytest.raises(AttributeError):
        ivs[0].site = "x"
    np.testing.assert_array_equal(ivs[2].vector(), [2, 0, 0, 0])
    np.testing.assert_array_equal(ivs[3].activation(), [7.0])
    assert Ablate("hidden", np.array([1, 2])) == Ablate("hidden", (1, 2))


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Ablate("hidden", []), "empty"),
        (lambda: Ablate("hidden", [-1]), ">= 0"),
        (lambda: Ablate("hidden", [1, 1]), "twice"),
        (lambda: Ablate("hidden", [0.5]), "integer"),
        (lambda: Ablate("", [0]), "site"),
        (lambda: Clamp("hidden", [0, 1], [1, 2, 3]), "3 entries for 2 units"),
        (lambda: Clamp("hidden", [0], float("nan")), "finite"),
        (lambda: Steer("hidden", [], 1.0), "non-empty"),
        (lambda: Steer("hidden", [1.0], float("inf")), "scale"),
        (lambda: Patch("hidden", [0], "not a recording", 0), "Recording"),
        (lambda: Patch("other", [0], _rec(), 0), "no site 'other'"),
        (lambda: Patch("hidden", [0], _rec(), 5), "out of range"),
    ],
)
def test_bad_interventions(make, match):
    with pytest.raises(InterventionError, match=match):
        make()


@pytest.mark.parametrize(
    "iv, match",
    [
        (Ablate("exc", [0]), "not a site of this model: sites are \\['hidden'\\]"),
        (Ablate("hidden", [4]), "out of range .* 0..3"),
        (Steer("hidden", [1, 2]), "2 entries but site 'hidden' has 4"),
        (Patch("hidden", [0], _rec(5), 0), "5 units, the model 4"),
    ],
)
def test_interventions_checked_against_model_sites(iv, match):
    with pytest.raises(InterventionError, match=match):
        check_interventions([iv], SITES)


@given(units=st.lists(st.integers(-3, 10), max_size=6))
def test_ablate_validation_property(units):
    """Any list of unique indices in range is accepted; anything else is refused with InterventionError."""
    ok = bool(units) and len(set(units)) == len(units) and all(0 <= u < 4 for u in units)
    try:
        check_interventions([Ablate("hidden", units)], SITES)
        accepted = True
    except InterventionError:
        accepted = False
    assert accepted == ok
