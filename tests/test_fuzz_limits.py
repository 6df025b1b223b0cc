"""Limits on bad input, each with its own error: byte limit before decoding, character limit,
time limit (timer signal in the main thread, between-stage checks in any thread)."""

from __future__ import annotations

import gzip
import json
import signal
import threading
import time

from hadath.batch import code_items, code_one, timer_signal
from hadath.errors import ArticleTimeout, ArticleTooLarge
from hadath.ingest.readers import ArticleFailure, ArticleInput, bounded_lines, decode_bytes, read_path
from hadath.pipeline import Deadline, Options, extract

ARABIC = "قتل ثلاثة مدنيين وأصيب عشرة آخرون في غارة جوية على مدينة حلب أمس. "


def test_byte_limit_refuses_a_file_before_decoding(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(ARABIC.encode("utf-8") * 200)
    (item,) = read_path(str(p), max_bytes=1000)
    assert isinstance(item, ArticleFailure) and isinstance(item.error, ArticleTooLarge)
    assert "over the reader's limit of 1,000" in str(item.error)
    (item,) = read_path(str(p), max_bytes=10**6)
    assert isinstance(item, ArticleInput)


def test_fifty_megabyte_text_file_is_refused_by_default(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        chunk = ARABIC.encode("utf-8") * 1000
        while fh.tell() < 50_000_000:
            fh.write(chunk)
    (item,) = read_path(str(p))
    assert isinstance(item.error, ArticleTooLarge) and "50," in str(item.error)


def test_overlong_json_line_is_skipped_and_the_next_read(tmp_path):
    p = tmp_path / "a.jsonl.gz"
    lines = [json.dumps({"id": "big", "body": ARABIC * 100}, ensure_ascii=False),
             json.dumps({"id": "ok", "body": ARABIC}, ensure_ascii=False)]
    p.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    items = list(read_path(str(p), max_bytes=5000))
    assert isinstance(items[0], ArticleFailure) and isinstance(items[0].error, ArticleTooLarge)
    assert ":1:" in str(items[0].error)
    assert isinstance(items[1], ArticleInput) and items[1].id == "ok"


def test_bounded_lines_never_reads_a_whole_long_line(tmp_path):
    import io

    stream = io.BytesIO(b"a" * 100_000 + b"\nshort\n")
    out = list(bounded_lines(stream, 1000))
    assert len(out) == 2 and out[0].size == 100_001 and out[1] == "short\n"


def test_decode_bytes_refuses_over_the_limit():
    try:
        decode_bytes(b"x" * 11, "f", max_bytes=10)
    except ArticleTooLarge as e:
        assert "11 bytes" in str(e)
    else:
        raise AssertionError("accepted")


def test_deeply_nested_json_is_a_malformed_line(tmp_path):
    p = tmp_path / "deep.jsonl"
    p.write_text("[" * 200_000 + "\n" + json.dumps({"id": "ok", "body": ARABIC}, ensure_ascii=False) + "\n")
    items = list(read_path(str(p)))
    assert isinstance(items[0], ArticleFailure) and "nested" in str(items[0].error)
    assert isinstance(items[1], ArticleInput)


def test_character_limit_before_any_work():
    rec = code_one(ArticleInput(ARABIC * 20_000, "x"), Options(max_chars=1000))
    assert rec.error.startswith("ArticleTooLarge:") and "over the limit of 1,000" in rec.error


def _slow_article() -> str:
    return ARABIC * 3000  # ~200k characters: seconds of work, far over the limits below


def test_time_limit_by_timer_signal_in_main_thread():
    # other test modules (Dask, browsers) may leave a SIGALRM handler behind: the timer is ours here
    before = signal.signal(signal.SIGALRM, signal.SIG_DFL)
    try:
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
        rec = code_one(ArticleInput(_slow_article(), "slow"), Options(time_limit_s=0.2))
    finally:
        signal.signal(signal.SIGALRM, before)
    # the timer, or (on a loaded machine) the between-stage check at the same moment
    assert rec.error and rec.error.startswith("ArticleTimeout:"), rec.error
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # the timer is off again


def test_timer_signal_stops_a_stage_that_never_returns():
    before = signal.signal(signal.SIGALRM, signal.SIG_DFL)
    t0 = time.monotonic()
    try:
        with timer_signal(0.2):
            while True:  # one stage stuck in a loop: no between-stage check would ever run
                pass
    except ArticleTimeout as e:
        assert "by the timer" in str(e)
    finally:
        signal.signal(signal.SIGALRM, before)
    assert time.monotonic() - t0 < 10 and signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_timer_signal_someone_else_owns_is_left_alone():
    def theirs(signum, frame):
        raise AssertionError("our timer fired their handler")

    before = signal.signal(signal.SIGALRM, theirs)
    try:
        rec = code_one(ArticleInput(_slow_article(), "slow"), Options(time_limit_s=0.2))
        assert signal.getsignal(signal.SIGALRM) is theirs
    finally:
        signal.signal(signal.SIGALRM, before)
    assert rec.error and "stopped after" in rec.error  # the between-stage deadline did the job


def test_time_limit_between_stages_in_a_worker_thread():
    out = []
    t = threading.Thread(target=lambda: out.append(code_one(ArticleInput(_slow_article(), "slow"),
                                                            Options(time_limit_s=0.2))))
    t.start()
    t.join(120)
    assert out and out[0].error.startswith("ArticleTimeout:") and "stopped after" in out[0].error


def test_a_timed_out_article_does_not_stop_the_batch():
    items = [ArticleInput(ARABIC, "a"), ArticleInput(_slow_article(), "slow"), ArticleInput(ARABIC, "b")]
    recs = list(code_items(items, Options(time_limit_s=0.5)))
    assert [r.article.id for r in recs] == ["a", "slow", "b"]
    assert recs[0].error is None and recs[2].error is None and recs[1].error.startswith("ArticleTimeout")
    assert recs[0].events and len(recs[0].events) == len(recs[2].events)


def test_deadline_without_limit_never_fires():
    Deadline(None).check("x")
    try:
        Deadline(-1).check("frames")
    except ArticleTimeout as e:
        assert "after frames" in str(e)
    else:
        raise AssertionError


def test_extract_itself_honours_the_limit():
    try:
        extract(_slow_article(), options=Options(time_limit_s=0.01))
    except ArticleTimeout:
        pass
    else:
        raise AssertionError("no timeout")
