"""mdr: the National Master Data Repository."""

__version__ = "0.1.0"
