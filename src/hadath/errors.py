"""The errors hadath reports for one article; a batch records them and goes on."""

from __future__ import annotations


class HadathError(Exception):
    """Base of every error hadath raises on purpose."""


class InputError(HadathError):
    """An article that cannot be coded; the message says why, specifically."""

    code = "bad_input"


class EmptyArticle(InputError):
    code = "empty"


class BinaryInput(InputError):
    code = "binary"


class UndecodableInput(InputError):
    code = "encoding"


class ArticleTooLarge(InputError):
    code = "too_large"


class MalformedRecord(InputError):
    code = "malformed"


class ArticleTimeout(InputError):
    """Coding took longer than `Options.time_limit_s`: a pathological input, not a crash."""

    code = "timeout"


class StoreUnavailable(HadathError):
    """The database stopped answering (server restarted, connection cut) and did not come back in time."""


class ResourceError(HadathError):
    """A shipped resource is missing or broken: a packaging bug, not bad input."""
