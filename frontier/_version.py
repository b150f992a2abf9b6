"""The package's version, in a leaf module: read by ``frontier.__version__``, the exports' header
(:func:`frontier.io.header_rows`) and the build (``pyproject.toml``'s dynamic version)."""
__version__ = "0.1.0"
