"""Output paths are checked by trying them, before any work: an output that is an input, a file the
system will not let be written (even as root), a FIFO nobody reads; and option values that make no sense."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from newsaudit.corpus.output import check_not_an_input, check_out
from newsaudit.errors import OutputError
from tests.test_cli import run_cli

ARTICLE = "Minister resigns\n\nThe minister resigned on Monday, officials said.\n"


def test_output_analyze_out_equal_to_its_input_is_refused(tmp_path):
    src = tmp_path / "x.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    r = run_cli(["analyze", src, "--out", src], timeout=300)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == (f"newsaudit: error: --out {src}: is also an input ({src}); writing it would overwrite "
                                "what is read. Give another file")
    assert src.read_text(encoding="utf-8") == ARTICLE


def test_output_batch_out_equal_to_its_input_is_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "X.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["The minister resigned, officials said."]}), src)
    before = src.read_bytes()
    link = tmp_path / "same.parquet"
    link.symlink_to(src)
    for out in (src, link):
        r = run_cli(["batch", src, "--out", out, "--no-progress"], timeout=300)
        assert r.returncode == 2, r.stderr
        assert "is also an input" in r.stderr
    assert src.read_bytes() == before


@pytest.mark.parametrize(("outputs", "inputs"), [
    ([("--out", "{a}")], ["{a}"]),
    ([("--out", "{a}")], [["{b}", "{a}"]]),
    ([("--html", "{b}"), ("--out", "{a}")], ["{dir}/./a.txt"]),
])
def test_output_same_file_as_an_input_is_refused(tmp_path, outputs, inputs):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")

    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value.format(a=tmp_path / "a.txt", b=tmp_path / "b.txt", dir=tmp_path)

    with pytest.raises(OutputError, match="is also an input"):
        check_not_an_input([(flag, fill(out)) for flag, out in outputs], [fill(i) for i in inputs])


def test_output_other_file_or_new_file_is_not_an_input(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    check_not_an_input([("--out", tmp_path / "new.txt"), ("--out", tmp_path / "a.txt")], [tmp_path / "b.txt", "-"])


def test_output_negative_limit_is_refused(tmp_path):
    src = tmp_path / "x.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    r = run_cli(["load", src, "--limit", "-1"], timeout=120)
    assert r.returncode == 2, r.stderr
    assert "--limit" in r.stderr


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="no /proc (not Linux)")
@pytest.mark.parametrize("target", ["/proc/version", "/proc/self/status"])
def test_output_file_the_system_refuses_is_refused_even_as_root(target):
    """``os.access`` says yes to root for every file; trying to open it says no."""
    with pytest.raises(OutputError, match=f"--out {target}: cannot be written"):
        check_out(target, kind="file")


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
def test_output_check_of_a_fifo_nobody_reads_does_not_block(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="cannot be written"):
        check_out(fifo, kind="file")


def test_output_check_leaves_no_file_behind(tmp_path):
    target = tmp_path / "sub" / "report.json"
    check_out(target, kind="file")
    assert target.parent.is_dir()
    assert not target.exists()


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/proc/self/mounts").exists(), reason="needs root to mount")
def test_output_folder_on_read_only_media_is_refused(tmp_path):
    import subprocess

    ro = tmp_path / "ro"
    ro.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with pytest.raises(OutputError, match="Read-only file system"):
            check_out(ro / "report.json", kind="file")
        with pytest.raises(OutputError, match="not writable"):
            check_out(ro, kind="folder")
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)
