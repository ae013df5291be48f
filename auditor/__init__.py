"""auditor: find and fix the damage web extractors leave in scraped news articles."""
__version__ = "0.1.0"
