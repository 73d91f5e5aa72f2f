"""The first-name gender list (``newsaudit train first-names``): ``newsaudit/data/lexicons/first_names.tsv`` from the
name data of the installed PyPI package nomquamgender 0.1.4 (MIT licence), read by :mod:`newsaudit.components.genders`.
Only names borne often enough, and mostly by one gender, are kept; reading the package's 720,000 names takes seconds,
so newsaudit ships the list rather than reading the package at run time."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from ..components.genders import FEMALE, MALE

#: names seen at least this often in nomquamgender's sources are listed
MIN_COUNT = 100
#: a name is listed as female (male) when at least (at most) this share of its bearers are women
SHARE = 0.9

FIRST_NAMES_HEADER = """# newsaudit first-name genders: a first name and the gender most of its bearers have (f or m).
# Source: derived from the name data of the PyPI package nomquamgender 0.1.4 (MIT licence,
# (c) 2022 Ian Van Buskirk; Van Buskirk, Clauset and Larremore, "An open-source cultural consensus approach
# to name-based gender classification", 2023). Licence of this list: MIT, as its source.
# Kept: alphabetic names seen at least {min_count} times, share of female bearers >= {share} (f) or <= {low:.1f} (m).
# A name not listed has no gender (it agrees with both he and she).
# Rebuild: newsaudit train first-names --out newsaudit/data/lexicons/first_names.tsv
"""


def _name_data_path() -> Path:
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package nomquamgender is not installed (pip install nomquamgender==0.1.4)")
    return Path(next(iter(spec.submodule_search_locations))) / "name_data.json"


def write_first_names(out: str | Path, min_count: int = MIN_COUNT, share: float = SHARE) -> int:
    """Write ``first_names.tsv`` from the installed nomquamgender's name data; returns the number of names."""
    data = json.loads(_name_data_path().read_text(encoding="utf-8"))
    rows = []
    for name, values in data.items():
        if not (name.isascii() and name.isalpha()) or len(name) < 2 or values[1] < min_count:
            continue
        female = float(values[2])
        if female >= share:
            rows.append((name, FEMALE))
        elif female <= 1 - share:
            rows.append((name, MALE))
    rows.sort()
    with Path(out).open("w", encoding="utf-8") as fh:
        fh.write(FIRST_NAMES_HEADER.format(min_count=min_count, share=share, low=1 - share))
        fh.writelines(f"{name}\t{gender}\n" for name, gender in rows)
    return len(rows)
