"""The benchmark scripts run: a speed claim needs a working side-by-side run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_file():
        pytest.skip(f"the SaudiNewsNet corpus is not beside this checkout ({CORPUS})")
    return CORPUS


def test_throughput_runs_two_versions_side_by_side(corpus: Path) -> None:
    # the other version here is this source tree again: the same events, and a ratio near 1
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "throughput.py"), "--against", str(ROOT),
                          "--rounds", "2", "--limit", "8"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rounds = [line for line in out.stdout.splitlines() if line.startswith("round ")]
    assert [line.split()[2] for line in rounds] == ["this", "other", "other", "this"]  # alternating
    assert "median: this" in out.stdout and "different number of events" not in out.stdout


def test_throughput_refuses_a_missing_other_version(corpus: Path, tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "throughput.py"), "--against",
                          str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "not found" in out.stderr
