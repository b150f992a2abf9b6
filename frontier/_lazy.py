"""Names a package exports from its own modules, each imported on first use (PEP 562): ``frontier`` (the public
API) and ``frontier.results`` (the result types) keep one table each, name -> module, and take their module-level
``__getattr__`` and ``__dir__`` from :func:`lazy_exports`."""
from __future__ import annotations

import importlib
import sys


def lazy_exports(package: str, table: dict[str, str]):
    """The ``__getattr__`` and ``__dir__`` of the package named ``package`` whose public names are ``table``'s keys,
    each defined in the module its value names (relative to the package): a name is imported when first looked up
    and then kept in the package's namespace, so later look-ups skip ``__getattr__``."""

    def __getattr__(name: str):
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{table[name]}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(table))

    return __getattr__, __dir__
