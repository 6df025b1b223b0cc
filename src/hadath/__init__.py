"""hadath: Arabic news articles in, structured event records out."""

__version__ = "0.1.0"

from hadath.pipeline import Options, extract  # noqa: E402
from hadath.records import ArticleRecord, Event  # noqa: E402

__all__ = ["ArticleRecord", "Event", "Options", "extract", "__version__"]
