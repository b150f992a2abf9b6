"""Command line: ``frontier demo`` (more commands in the command-line issue)."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="frontier", description="Green productivity with DEA.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the worked example on the bundled synthetic city panel")
    demo.add_argument("-o", "--out", default="frontier-demo", help="output folder (default: frontier-demo)")
    demo.add_argument("--n-jobs", type=int, default=1, help="parallel workers (-1 = all cores)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import run

        run(args.out, n_jobs=args.n_jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
