"""The numbers a statement writes (``newsaudit.corpus.trail.group.numbers_in``): two groups that write
different numbers never join a trail, so a number written as a word must read as its digits."""

from __future__ import annotations

import pytest

from newsaudit.corpus.trail.group import numbers_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("723 delegates", {"723"}),
        ("40,000 homes on Friday, 3 May", {"40000", "3"}),
        ("Seven girls fall pregnant on school trip", {"7"}),
        ("7 Bosnian teens get pregnant", {"7"}),
        ("Ten ISIS fighters caught, 10 at the border", {"10"}),
        ("SEVEN million pounds", {"7"}),
        ("A Hundred Dollars for a homeless man", {"100"}),
        # no number of its own: a plural, a pronoun, an ordinal, a hyphenated compound
        ("Hundreds of people marched", set()),
        ("One of them left", set()),
        ("On the seventh day", set()),
        ("twenty-five men", set()),
    ],
)
def test_group_numbers_in(text, expected):
    assert numbers_in(text) == frozenset(expected)


def test_group_numbers_word_and_digits_agree():
    # the subset rule of the grouping: "seven girls" and "7 girls" may join, "seven" and "8" may not
    assert numbers_in("Seven girls") <= numbers_in("7 girls aged 13")
    assert not numbers_in("Seven girls") <= numbers_in("8 girls")
    assert not numbers_in("8 girls") <= numbers_in("Seven girls")
