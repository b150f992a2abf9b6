"""DEA model families, one module each; importing the package registers them all (see :mod:`.registry`)."""
# the registry (and the command line's list of models) keeps this order
from . import radial, sbm, ddf, sbm_ddf, ebm, economic, network  # noqa: F401, I001  (each module registers its family)
from .registry import REGISTRY, ModelFamily, ModelOptions, family, model_names, register, resolve_options

__all__ = ["REGISTRY", "ModelFamily", "ModelOptions", "family", "model_names", "register", "resolve_options"]
