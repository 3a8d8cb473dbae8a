"""Command line of the knowledge store: ``python -m knowledge <command>``.

build            build the store from the shipped data and content (skipped if unchanged)
search "text"    what the assistant would find for an occupation typed by a person
bench            p50/p95 lookup time over the full store
spacy-pipeline   build the blank Dutch spaCy pipeline with the occupation entity ruler
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from knowledge.content import ContentError

BENCH_QUERIES = (
    "lasser", "kinesist", "elektriecien", "programeur", "verpleegster", "verpleegkundige",
    "lassers", "kok", "dakwerker", "vrachtwagenchauffeurs", "boekhouer", "kapster",
    "software ontwikkelaar", "metselaar", "loodgieter", "magazijnier", "poetsvrouw",
    "leerkracht", "zorgkundige", "data scientist", "schrijnwerkr", "bakker", "opvoeder",
    "heftruckchauffeur", "zeewolf",
)  # fmt: skip


def _build(args: argparse.Namespace) -> int:
    from knowledge.build import build_store

    try:
        report = build_store(force=args.force)
    except ContentError as error:
        print("The content breaks the rules, nothing was built:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if report.skipped:
        print(f"Knowledge store is up to date ({report.seconds:.1f} s).")
        return 0
    print(f"Knowledge store built in {report.seconds:.1f} s:")
    for name, count in report.counts.items():
        print(f"  {count:6d} {name}")
    methods = ", ".join(f"{m} {n}" for m, n in sorted(report.methods.items()))
    print(f"  VDAB titles matched to ESCO: {methods}")
    if report.unmatched:
        print(
            f"  {len(report.unmatched)} VDAB titles without an ESCO occupation "
            "(still found by their own title; review them in content/vdab_esco_overrides.csv):"
        )
        for title in report.unmatched:
            print(f"    - {title}")
    return 0


def _search(args: argparse.Namespace) -> int:
    from database import knowledge_sessions
    from knowledge.repository import occupation_info, shortage_listing
    from knowledge.search import find_occupations, is_ambiguous

    with knowledge_sessions()() as session:
        matches = find_occupations(session, args.text, limit=5)
        if not matches:
            print("Nothing found.")
            return 0
        if is_ambiguous(matches):
            print("Too close to choose: the assistant asks 'bedoel je ...?'")
        for match in matches:
            shortage = shortage_listing(session, match.shortage_id) if match.shortage_id else None
            mark = f"knelpuntberoep ({shortage.title})" if shortage else "geen knelpuntberoep"
            print(f"{match.confidence:.2f} {match.method:6} {match.display_name}: {mark}")
        top = matches[0]
        if top.occupation_id:
            info = occupation_info(session, top.occupation_id)
            print(f"\n{info.label}: {info.description or '(geen beschrijving)'}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from database import knowledge_sessions
    from knowledge.search import find_occupations

    sessions = knowledge_sessions()
    timings = []
    with sessions() as session:
        for query in BENCH_QUERIES:  # warm-up
            find_occupations(session, query)
        for _ in range(args.rounds):
            for query in BENCH_QUERIES:
                started = time.perf_counter()
                find_occupations(session, query)
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"occupation lookup over the full store, {len(timings)} lookups "
        f"({len(BENCH_QUERIES)} queries incl. typos, plurals and a miss): "
        f"p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"
    )
    return 0


def _spacy(args: argparse.Namespace) -> int:
    from knowledge.build import build_store
    from knowledge.spacy_pipeline import save_pipeline

    build_store()  # the patterns come from the store; skipped when up to date
    count = save_pipeline(args.out)
    print(f"spaCy pipeline saved to {args.out} with {count} occupation patterns")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the store")
    build.add_argument("--force", action="store_true", help="rebuild even when unchanged")
    build.set_defaults(run=_build)
    search = commands.add_parser("search", help="what the bot would find")
    search.add_argument("text")
    search.set_defaults(run=_search)
    bench = commands.add_parser("bench", help="lookup benchmark")
    bench.add_argument("--rounds", type=int, default=80)
    bench.set_defaults(run=_bench)
    spacy_cmd = commands.add_parser("spacy-pipeline", help="build the spaCy pipeline")
    spacy_cmd.add_argument("--out", type=Path, required=True)
    spacy_cmd.set_defaults(run=_spacy)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
