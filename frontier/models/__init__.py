"""DEA model families, one module each; importing the package registers them all (see :mod:`.registry`)."""
# the registry (and the command line's list of models) keeps this order
from . import radial  # noqa: F401, I001
from . import sbm  # noqa: F401, I001
from . import ddf  # noqa: F401, I001
from . import sbm_ddf  # noqa: F401, I001
from . import ebm  # noqa: F401, I001
from . import economic  # noqa: F401, I001
from . import network  # noqa: F401, I001
from . import network_sbm  # noqa: F401, I001
from . import dynamic  # noqa: F401, I001
from .registry import REGISTRY, ModelFamily, ModelOptions, family, model_names, register, resolve_options

__all__ = ["REGISTRY", "ModelFamily", "ModelOptions", "family", "model_names", "register", "resolve_options"]
