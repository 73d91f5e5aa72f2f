"""Corpus-level work: many articles in, one result per input row out.

- :mod:`.reports`: ``newsaudit analyze`` of one article or a dataset, written as
  JSON Lines, text or a folder of HTML files, with one error record per failed row;
- :mod:`.batch`: ``newsaudit batch``, a dataset to one Parquet file, resumable;
  its rows (:mod:`.rows`), the analysis of one chunk (:mod:`.chunks`) and the
  engines that run the chunks (:mod:`.engines`: local processes, Dask);
- :mod:`.stats`: ``newsaudit stats``, the DuckDB corpus view over a batch output;
- :mod:`.trail`: ``newsaudit trail``, claim trails across batch outputs (the same
  statement in many articles; ``stats --trails`` summarises them);
- :mod:`.output`: checking and writing output paths.

Nothing is imported here: each module loads its heavy libraries (pyarrow, DuckDB,
Dask, plotly) only when used.
"""
