#!/usr/bin/env python
"""Run frontier's validation cases and print the comparison table.

Usage::

    python validation/run.py [DIR] [--case NAME ...]

DIR is the folder of validation cases (default: $FRONTIER_VALIDATION_DIR, else ../shared/validation beside the
checkout; see frontier.validation.validation_directory). What each case runs and compares is described in
frontier/validation_cases.json. Exits with status 1 if any hard check fails (soft checks, for quantities that
case.md marks as non-unique, are reported but do not fail), 2 if the directory does not exist.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

try:
    import frontier  # noqa: F401
except ImportError:  # running from a source checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontier.validation import format_table, hard_failures, run_validation, validation_directory


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Compare frontier against published DEA results.")
    parser.add_argument("directory", nargs="?", default=None,
                        help=f"folder of validation cases (default: {validation_directory()})")
    parser.add_argument("--case", action="append", dest="cases", metavar="NAME",
                        help="run only this case (repeatable)")
    args = parser.parse_args(argv)
    directory = validation_directory(args.directory)
    if not directory.is_dir():
        print(f"validation directory {directory} not found", file=sys.stderr)
        return 2
    df = run_validation(directory, cases=args.cases)
    print(f"validation cases: {directory}")
    print(format_table(df))
    failed = hard_failures(df)
    if len(failed):
        print(f"\n{len(failed)} hard check(s) FAILED:", file=sys.stderr)
        for _, r in failed.iterrows():
            print(f"  {r['case']}: {r['check']} ({r['model']})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
