"""AnalyzeOptions: defaults, environment, checks."""

import pytest

from newsaudit.errors import InputError
from newsaudit.options import AnalyzeOptions, check_peak


@pytest.mark.parametrize(("value", "expected"), [(None, None), (0.0, 0.0), (0.7, 0.7), (1.0, 1.0)])
def test_options_techniques_peak_accepted(value, expected):
    assert AnalyzeOptions(techniques_peak=value).techniques_peak == expected


@pytest.mark.parametrize("value", [-0.1, 1.5, 70.0])
def test_options_techniques_peak_out_of_range(value):
    with pytest.raises(InputError, match=r"techniques_peak \(--techniques-peak, NEWSAUDIT_TECHNIQUES_PEAK\) must be between 0 and 1"):
        AnalyzeOptions(techniques_peak=value)


@pytest.mark.parametrize(("env", "override", "expected"), [("0.7", None, 0.7), ("0.7", 0.6, 0.6), ("", None, None)])
def test_options_techniques_peak_from_env(monkeypatch, env, override, expected):
    monkeypatch.setenv("NEWSAUDIT_TECHNIQUES_PEAK", env)
    assert AnalyzeOptions.from_env(techniques_peak=override).techniques_peak == expected


def test_options_techniques_peak_env_not_a_number(monkeypatch):
    monkeypatch.setenv("NEWSAUDIT_TECHNIQUES_PEAK", "high")
    with pytest.raises(InputError, match="NEWSAUDIT_TECHNIQUES_PEAK must be a number"):
        AnalyzeOptions.from_env()


def test_options_check_peak_names_the_setting():
    with pytest.raises(InputError, match=r"^--peak must be between 0 and 1"):
        check_peak(2.0, "--peak")
