"""``make bench``'s parts in one place (run from the repository root: ``python -m benchmarks``).

* :mod:`.core`: newsaudit against a bare spaCy parse, in the same run (the
  ratios docs/benchmarks.md quotes), then the optional parts below;
* :mod:`.techniques`: the propaganda-techniques model's cost;
* :mod:`.factcheck`: the fact-check store at scale (generated reviews);
* :mod:`.service`: the web service under load;
* :mod:`.trail`: ``newsaudit trail`` over 10,000 generated articles (time, peak memory);
* :mod:`.claims_share` (not part of ``make bench``): how many news sentences the
  check-worthiness model makes claims (the claims component's bar).

Benchmarks are not part of the installed package: they time it.
"""
