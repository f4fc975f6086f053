"""line_braze: connect a LINE Official Account to a Braze workspace."""

from line_braze._version import __version__

__all__ = ["__version__"]
