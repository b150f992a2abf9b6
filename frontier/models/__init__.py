"""Model families: one module each (radial, sbm, ddf, sbm_ddf), built on the stage contract of ``base``."""
