"""The public analyses, one module each (productivity: a package), every one a declaration
(:class:`._pipeline.Analysis`) over the shared pipeline of :mod:`._pipeline`: efficiency, productivity, metafrontier,
window, economic, bootstrap, second_stage, sfa.

Nothing is imported here: a submodule named like its function (``sfa``) would otherwise be shadowed by it, or
shadow it. ``frontier/__init__.py`` points each public name at ``analyses.<module>``.
"""
