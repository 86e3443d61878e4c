"""The package version, in the foundation so that cache keys below the API can read it."""

__version__ = "0.1.0"
