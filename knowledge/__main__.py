"""Command line of the knowledge store: ``python -m knowledge <command>``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    commands = parser.add_subparsers(dest="command", required=True)
    spacy_cmd = commands.add_parser("spacy-pipeline", help="build the blank Dutch spaCy pipeline")
    spacy_cmd.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "spacy-pipeline":
        from knowledge.spacy_pipeline import save_pipeline

        count = save_pipeline(args.out)
        print(f"spaCy pipeline saved to {args.out} with {count} occupation patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
