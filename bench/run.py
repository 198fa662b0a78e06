"""Build the same synthetic spec in each form and compare what the builds cost.

For each N, ``generate.py`` writes every form from one seed; then, round after
round, each form is built as a child process in fresh output folders, the forms
alternating (A B C A B C ...):

1. a full serial build (wall time, CPU time and peak RSS of the child, doctree size),
2. an incremental build after changing the title of one test case (wall time, the
   pages rewritten, and the pages that still show the old title: stale pages),
3. a full ``-j 2`` build, whose HTML is compared with the serial build's.

The table shows medians over rounds, and the ratios techspec/plain and
techspec/needs as the median of per-round ratios (rounds share the machine's
state, so ratios are steadier than times). ``--profile`` instead writes the top
functions of one techspec build under cProfile.

Usage: ``python bench/run.py --n 500,2000 --rounds 3`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate  # a script beside this one, not a package

BENCH_DIR = Path(__file__).parent
OUT_DIR = BENCH_DIR / "out"
#: Forms whose package is not installed in this Python are built with another one.
FORM_MODULES = {
    "techspec": "sphinx_techspec",
    "plain": "sphinx",
    "needs": "sphinx_needs",
    "mlx": "mlx.traceability",
}


@dataclass
class BuildResult:
    """What one child ``sphinx-build`` cost."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    warnings: int
    #: The end of stderr when the build failed.
    error: str = ""


@dataclass
class RoundResult:
    """One form, one round: a full, an incremental and a ``-j 2`` build."""

    form: str
    round: int
    full: BuildResult
    incremental: BuildResult
    parallel: BuildResult
    doctree_mb: float
    pages: int
    pages_rewritten: int
    rewritten_pages: list[str]
    pages_showing_title: int
    stale_pages: list[str]
    parallel_identical: bool
    parallel_differences: list[str] = field(default_factory=list)
    #: The sphinx_techspec sources changed during the round (others edit the
    #: package while a long benchmark runs): its comparisons are not meaningful.
    code_changed: bool | None = None  # None: not checked (older results)


def run_build(python: str, src: Path, build: Path, jobs: int = 1) -> BuildResult:
    """Run one HTML build as a child and measure it with ``wait4``.

    ``os.wait4`` gives the rusage of exactly this child (with the workers it
    forked and reaped under ``-j``), where ``getrusage(RUSAGE_CHILDREN)`` would
    accumulate CPU over every build and keep the largest ``ru_maxrss`` ever seen.
    """
    warnings_file = build / "warnings.txt"
    build.mkdir(parents=True, exist_ok=True)
    command = [
        python,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-j",
        str(jobs),
        "-d",
        str(build / "doctrees"),
        "-w",
        str(warnings_file),
        str(src),
        str(build / "html"),
    ]
    started = time.perf_counter()
    with (build / "stderr.txt").open("w") as stderr:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    text = warnings_file.read_text() if warnings_file.exists() else ""
    error = (build / "stderr.txt").read_text()[-2000:] if child.returncode else ""
    return BuildResult(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # Linux: kilobytes
        returncode=child.returncode,
        warnings=text.count("WARNING"),
        error=error,
    )


def html_pages(html_dir: Path) -> dict[str, Path]:
    """The written pages, by docname (not search or index pages Sphinx adds)."""
    skip = {"genindex", "search", "py-modindex"}
    pages = {}
    for path in html_dir.rglob("*.html"):
        docname = path.relative_to(html_dir).with_suffix("").as_posix()
        if docname not in skip and not docname.startswith("_"):
            pages[docname] = path
    return pages


def digests(html_dir: Path) -> dict[str, str]:
    return {
        str(path.relative_to(html_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(html_dir.rglob("*.html"))
    }


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def measure_round(form: str, python: str, src: Path, work: Path, number: int) -> RoundResult:
    """Full, incremental and parallel builds of one form, in fresh folders."""
    manifest = json.loads((src / "bench.json").read_text())
    serial, parallel = work / f"r{number}-j1", work / f"r{number}-j2"
    for folder in (serial, parallel):
        shutil.rmtree(folder, ignore_errors=True)

    code_before = package_fingerprint()
    full = run_build(python, src, serial)
    serial_html = serial / "html"
    serial_digests = digests(serial_html)
    pages = html_pages(serial_html)
    old_title, new_title = manifest["edit"]["old_title"], manifest["edit"]["new_title"]
    showing = sorted(d for d, p in pages.items() if old_title in p.read_text())
    doctree_mb = folder_mb(serial / "doctrees")

    # Incremental: change one test case's title, rebuild, then put the page back.
    edited = src / manifest["edit"]["page"]
    original = edited.read_text()
    before = {d: p.stat().st_mtime_ns for d, p in pages.items()}
    try:
        edited.write_text(original.replace(old_title, new_title, 1))
        incremental = run_build(python, src, serial)
    finally:
        edited.write_text(original)
    after = html_pages(serial_html)
    rewritten = [d for d, p in after.items() if p.stat().st_mtime_ns != before.get(d)]
    stale = sorted(d for d in showing if d in after and old_title in after[d].read_text())

    parallel_build = run_build(python, src, parallel, jobs=2)
    parallel_digests = digests(parallel / "html")
    differences = sorted(
        name
        for name in serial_digests.keys() | parallel_digests.keys()
        if serial_digests.get(name) != parallel_digests.get(name)
    )
    return RoundResult(
        form=form,
        round=number,
        full=full,
        incremental=incremental,
        parallel=parallel_build,
        doctree_mb=doctree_mb,
        pages=len(pages),
        pages_rewritten=len(rewritten),
        rewritten_pages=sorted(rewritten)[:50],
        pages_showing_title=len(showing),
        stale_pages=stale,
        parallel_identical=not differences,
        parallel_differences=differences[:20],
        code_changed=package_fingerprint() != code_before,
    )


def package_fingerprint() -> str:
    """A hash of sphinx-techspec's source files, to notice edits during a round."""
    import sphinx_techspec

    package = Path(sphinx_techspec.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".css", ".js", ".json", ".html"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- summary ---------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


METRICS = {
    "full wall s": lambda r: r.full.wall,
    "full CPU s": lambda r: r.full.cpu,
    "-j 2 wall s": lambda r: r.parallel.wall,
    "incr wall s": lambda r: r.incremental.wall,
    "peak RSS MB": lambda r: r.full.max_rss_mb,
    "-j 2 RSS MB": lambda r: r.parallel.max_rss_mb,
}


def summarise(n: int, results: list[RoundResult]) -> dict:
    """Medians per form, and per-round ratios of techspec to the others."""
    forms: dict[str, list[RoundResult]] = {}
    for result in results:
        forms.setdefault(result.form, []).append(result)
    summary: dict = {"n": n, "forms": {}, "ratios": {}}
    for form, rounds in forms.items():
        row = {name: median([get(r) for r in rounds]) for name, get in METRICS.items()}
        row["CPU ms/item"] = 1000 * row["full CPU s"] / n
        row["j2/j1 wall"] = median([r.parallel.wall / r.full.wall for r in rounds])
        row["pages"] = rounds[0].pages
        # A failed incremental build rewrites nothing: it says nothing about its cost
        # or about staleness.
        updated = [r for r in rounds if r.incremental.returncode == 0] or rounds
        row["incr wall s"] = median([r.incremental.wall for r in updated])
        row["incr/full wall"] = median([r.incremental.wall / r.full.wall for r in updated])
        row["incr/full CPU"] = median([r.incremental.cpu / r.full.cpu for r in updated])
        row["rewritten"] = median([r.pages_rewritten for r in updated])
        row["showing title"] = rounds[0].pages_showing_title
        row["stale"] = max(len(r.stale_pages) for r in updated)
        row["doctree MB"] = median([r.doctree_mb for r in rounds])
        row["warnings"] = max(max(r.full.warnings, r.parallel.warnings) for r in rounds)
        row["failed builds"] = sum(
            b.returncode != 0 for r in rounds for b in (r.full, r.incremental, r.parallel)
        )
        steady = [r for r in rounds if r.code_changed is not True]
        row["-j 2 identical"] = all(r.parallel_identical for r in steady) if steady else None
        checked = [r for r in rounds if r.code_changed is not None]
        row["code changed"] = len(rounds) - len(steady) if checked else None
        row["rounds"] = len(rounds)
        summary["forms"][form] = row
    for other in ("plain", "needs", "mlx"):
        if "techspec" not in forms or other not in forms:
            continue
        pairs = list(zip(forms["techspec"], forms[other], strict=False))
        summary["ratios"][f"techspec/{other}"] = {
            name: median([get(a) / get(b) for a, b in pairs]) for name, get in METRICS.items()
        }
    return summary


def markdown(summary: dict) -> str:
    n = summary["n"]
    columns = [
        "full wall s",
        "full CPU s",
        "CPU ms/item",
        "-j 2 wall s",
        "j2/j1 wall",
        "incr wall s",
        "incr/full wall",
        "incr/full CPU",
        "rewritten",
        "stale",
        "peak RSS MB",
        "doctree MB",
        "warnings",
        "failed builds",
        "-j 2 identical",
        "code changed",
    ]
    lines = [
        f"N = {n} items ({next(iter(summary['forms'].values()))['pages']} pages), "
        f"medians of {max(r['rounds'] for r in summary['forms'].values())} rounds",
        "",
        "| form | " + " | ".join(columns) + " |",
        "| --- " * (len(columns) + 1) + "|",
    ]
    for form, row in summary["forms"].items():
        cells = []
        for column in columns:
            value = row.get(column)  # older results lack newer columns
            if column == "rewritten":
                value = f"{value:g} (of {row['showing title']} showing the title)"
            elif value is None:
                value = "n/a"
            elif isinstance(value, bool):
                value = "yes" if value else "**no**"
            elif isinstance(value, float):
                value = f"{value:.2f}" if value < 100 else f"{value:.0f}"
            cells.append(str(value))
        lines.append(f"| {form} | " + " | ".join(cells) + " |")
    if summary["ratios"]:
        lines += [
            "",
            "| ratio (median of per-round ratios) | " + " | ".join(METRICS) + " |",
            "| --- " * (len(METRICS) + 1) + "|",
        ]
        for name, ratios in summary["ratios"].items():
            lines.append(f"| {name} | " + " | ".join(f"{v:.2f}" for v in ratios.values()) + " |")
    return "\n".join(lines) + "\n"


def scaling(summaries: list[dict]) -> str:
    forms = sorted({f for s in summaries for f in s["forms"]}, key=generate.FORMS.index)
    lines = [
        "CPU ms per item (full serial build)",
        "",
        "| N | " + " | ".join(forms) + " |",
        "| --- " * (len(forms) + 1) + "|",
    ]
    for s in summaries:
        cells = [f"{s['forms'][f]['CPU ms/item']:.1f}" if f in s["forms"] else "—" for f in forms]
        lines.append(f"| {s['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def machine() -> dict:
    import docutils
    import sphinx

    versions = {
        "python": platform.python_version(),
        "sphinx": sphinx.__version__,
        "docutils": docutils.__version__,
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
    }
    for package in ("sphinx_needs", "sphinx_techspec"):
        with contextlib.suppress(ImportError):
            versions[package] = __import__(package).__version__
    return versions


# -- the two modes ----------------------------------------------------------------------


def python_for(form: str, mlx_python: str | None) -> str | None:
    """The interpreter that has the form's package, or None to skip the form."""
    candidates = [sys.executable] + ([mlx_python] if form == "mlx" and mlx_python else [])
    for python in candidates:
        probe = subprocess.run(
            [python, "-c", f"import {FORM_MODULES[form]}"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return python
    return None


def benchmark(args: argparse.Namespace) -> None:
    pythons = {}
    for form in args.forms:
        python = python_for(form, args.mlx_python)
        if python is None:
            print(f"skipping {form}: {FORM_MODULES[form]} is not installed", file=sys.stderr)
        else:
            pythons[form] = python
    for n in args.n:
        rounds = args.rounds_at.get(n, args.rounds)
        root = OUT_DIR / str(n)
        sources = generate.generate(n, root / "src", list(pythons), args.seed, args.views)
        results: list[RoundResult] = []
        for number in range(1, rounds + 1):
            for form, python in pythons.items():
                result = measure_round(form, python, sources[form], root / "build" / form, number)
                results.append(result)
                print_round(n, result)
                if not args.keep:
                    for folder in ("j1", "j2"):
                        shutil.rmtree(root / "build" / form / f"r{number}-{folder}")
            # Saved after every round, so a long run stopped early keeps what it measured.
            summary = summarise(n, results)
            summary["machine"] = machine()
            summary["rounds"] = [asdict(r) for r in results]
            (OUT_DIR / f"results-{n}.json").write_text(json.dumps(summary, indent=1) + "\n")
        print()
        print(markdown(summary))
    report()
    print(f"machine: {json.dumps(machine())}")


def print_round(n: int, result: RoundResult) -> None:
    print(
        f"N={n} round {result.round} {result.form}: full {result.full.wall:.1f} s wall "
        f"{result.full.cpu:.1f} s CPU, -j 2 {result.parallel.wall:.1f} s, "
        f"incremental {result.incremental.wall:.1f} s "
        f"({result.pages_rewritten} pages, {len(result.stale_pages)} stale), "
        f"{result.full.max_rss_mb:.0f} MB",
        flush=True,
    )
    for build in (result.full, result.incremental, result.parallel):
        if build.returncode:
            print(f"  a build failed ({build.returncode}): {build.error[-500:]}")


def profile(args: argparse.Namespace) -> None:
    """Top 25 functions of one full and one incremental techspec build, under cProfile.

    The builds run in this process (cProfile sees no children), on their own
    copy of the project so that a benchmark can run at the same N meanwhile.
    """
    n = args.n[0]
    root = OUT_DIR / f"profile-{n}"
    source = generate.generate(n, root / "src", ["techspec"], args.seed, args.views)["techspec"]
    build = root / "build"
    shutil.rmtree(build, ignore_errors=True)
    text = io.StringIO()
    full = profiled_build(source, build, f"full techspec build of N={n} items", text)
    full.dump_stats(OUT_DIR / f"profile-{n}.prof")

    manifest = json.loads((source / "bench.json").read_text())
    edited = source / manifest["edit"]["page"]
    original = edited.read_text()
    try:
        edited.write_text(
            original.replace(manifest["edit"]["old_title"], manifest["edit"]["new_title"], 1)
        )
        title = f"incremental techspec build of N={n} items after a one-title edit"
        profiled_build(source, build, title, text)
    finally:
        edited.write_text(original)
    target = OUT_DIR / f"profile-{n}.txt"
    target.write_text(text.getvalue())
    print(text.getvalue())
    print(f"written to {target}")


def profiled_build(source: Path, build: Path, title: str, text: io.StringIO) -> cProfile.Profile:
    from sphinx.cmd.build import build_main

    # CPU time, not wall time: the machine is shared, and waiting is not cost.
    # (cProfile's own overhead still inflates functions that make many small calls.)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    code = build_main(
        ["-b", "html", "-q", "-d", str(build / "doctrees"), str(source), str(build / "html")]
    )
    profiler.disable()
    stats = pstats.Stats(profiler, stream=text)
    text.write(f"\n==== {title}, exit code {code}\n")
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(25)
    # Sphinx's own frames hide who asked for the work: show our functions and
    # the callers of the hottest docutils call.
    stats.sort_stats("cumulative").print_stats("sphinx_techspec", 25)
    stats.print_callers(r"nodes.py:\d+\(findall\)")
    return profiler


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", default="500,2000,10000", help="comma-separated item counts")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per N (at least 3)")
    parser.add_argument(
        "--rounds-at",
        default="",
        help="fewer rounds at some N, e.g. 10000:1 (below 3: indicative only)",
    )
    parser.add_argument("--forms", default=",".join(generate.FORMS))
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--mlx-python",
        default=os.environ.get("BENCH_MLX_PYTHON"),
        help="a Python with mlx.traceability (it pins an older Sphinx, so it "
        "may live in its own venv); default $BENCH_MLX_PYTHON",
    )
    parser.add_argument(
        "--no-views",
        dest="views",
        action="store_false",
        default=None,
        help="leave out the techspec matrix/coverage directives",
    )
    parser.add_argument("--keep", action="store_true", help="keep the -j 2 output folders")
    parser.add_argument(
        "--profile", action="store_true", help="profile one techspec build at the first N instead"
    )
    parser.add_argument(
        "--report", action="store_true", help="only print the tables of bench/out/results-*.json"
    )
    args = parser.parse_args(argv)
    args.n = [int(v) for v in args.n.split(",") if v]
    args.forms = [f for f in args.forms.split(",") if f]
    args.rounds_at = {
        int(k): int(v) for k, v in (pair.split(":") for pair in args.rounds_at.split(",") if pair)
    }
    return args


def load_rounds(stored: list[dict]) -> list[RoundResult]:
    """Round results from a results file (fields added since are left at their defaults)."""
    results = []
    for entry in stored:
        builds = {key: BuildResult(**entry.pop(key)) for key in ("full", "incremental", "parallel")}
        results.append(RoundResult(**builds, **entry))
    return results


def report() -> None:
    """Tables of every ``results-N.json`` in ``bench/out``, smallest N first.

    The summaries are computed again from the stored rounds, so that older
    results are summarised as the current code does.
    """
    files = sorted(OUT_DIR.glob("results-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    summaries = []
    for path in files:
        stored = json.loads(path.read_text())
        summaries.append(summarise(stored["n"], load_rounds(stored["rounds"])))
    text = "\n".join(markdown(s) for s in summaries) + "\n" + scaling(summaries)
    (OUT_DIR / "results.md").write_text(text)
    print(text)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.report:
        report()
    elif args.profile:
        profile(args)
    else:
        benchmark(args)


if __name__ == "__main__":
    main()
