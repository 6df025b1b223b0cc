"""Readers: every input becomes an article or a specific failure; nothing is dropped."""

import gzip
import json

from hadath.errors import BinaryInput, MalformedRecord, UndecodableInput
from hadath.ingest.readers import ArticleFailure, ArticleInput, decode_bytes, read_path

ARABIC = "قصفت الطائرات مواقع في المدينة أمس."


def test_utf8_with_and_without_bom(tmp_path):
    for data in (ARABIC.encode("utf-8"), b"\xef\xbb\xbf" + ARABIC.encode("utf-8")):
        assert decode_bytes(data, "x") == ARABIC


def test_arabic_code_pages_and_utf16(tmp_path):
    assert decode_bytes(ARABIC.encode("cp1256"), "x") == ARABIC
    assert decode_bytes(ARABIC.encode("iso8859_6"), "x") == ARABIC
    assert decode_bytes(ARABIC.encode("utf-16"), "x") == ARABIC


def test_binary_is_refused_with_reason():
    try:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "img.png")
    except BinaryInput as e:
        assert "binary" in str(e) and "img.png" in str(e)
    else:
        raise AssertionError("binary data was accepted")


def test_latin1_non_arabic_is_undecodable():
    try:
        decode_bytes("café résumé naïve".encode("latin-1"), "f.txt")
    except UndecodableInput as e:
        assert "f.txt" in str(e)
    else:
        raise AssertionError


def test_jsonl_bad_lines_become_failures(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "a1", "body": ARABIC, "published": "2015-08-06"}, ensure_ascii=False),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"id": "a4", "title": "no body"}),
        json.dumps({"id": "a5", "text": ARABIC}, ensure_ascii=False),
    ]), encoding="utf-8")
    items = list(read_path(str(p)))
    assert [type(i).__name__ for i in items] == ["ArticleInput", "ArticleFailure", "ArticleFailure",
                                                   "ArticleFailure", "ArticleInput"]
    assert items[0].id == "a1" and items[0].published == "2015-08-06"
    assert isinstance(items[1].error, MalformedRecord) and ":2:" in str(items[1].error)
    assert items[3].id == "a4"


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    lines = "".join(json.dumps({"id": f"a{k}", "body": ARABIC}, ensure_ascii=False) + "\n" for k in range(200))
    data = gzip.compress(lines.encode("utf-8"))
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    items = list(read_path(str(p)))
    assert isinstance(items[-1], ArticleFailure) and "gzip" in str(items[-1].error)
    assert all(isinstance(i, ArticleInput) for i in items[:-1])


def test_html_main_text_and_title(tmp_path):
    p = tmp_path / "page.html"
    body = " ".join([ARABIC] * 8)
    p.write_text(f"<html><head><title>عنوان الخبر</title></head><body><nav>القائمة</nav>"
                 f"<article><h1>عنوان الخبر</h1><p>{body}</p><p>{body}</p></article></body></html>",
                 encoding="utf-8")
    (item,) = list(read_path(str(p)))
    assert isinstance(item, ArticleInput)
    assert "قصفت الطائرات" in item.body


def test_missing_file_is_a_failure():
    (item,) = list(read_path("/nonexistent/file.txt"))
    assert isinstance(item, ArticleFailure) and "no such file" in str(item.error)
