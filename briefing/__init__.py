"""briefing: turn news articles into a spoken daily briefing, offline."""

__version__ = "0.1.0"
