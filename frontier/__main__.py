"""``python -m frontier``: the same command line as the installed ``frontier`` script."""
import sys

from .cli import main

sys.exit(main())
