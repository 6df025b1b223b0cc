"""hadath: Arabic news articles in, structured event records out."""

__version__ = "0.1.0"

__all__ = ["ArticleRecord", "Event", "Options", "extract", "__version__"]


def __getattr__(name: str):
    # imported on first use, so `import hadath.text…` stays light
    if name in ("Options", "extract"):
        from hadath import pipeline

        return getattr(pipeline, name)
    if name in ("ArticleRecord", "Event"):
        from hadath import records

        return getattr(records, name)
    raise AttributeError(name)
