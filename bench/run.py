"""Build the same synthetic spec in each form and compare what the builds cost.

For each N, ``generate.py`` writes every form from one seed (the same content in
every form); then, round after round, each form is built as a child process in
fresh output folders, the forms alternating (A B C A B C ...):

1. a full serial build: CPU time (user + system, of the child and its workers),
   wall time, peak RSS (``os.wait4``), doctree size; for techspec also the
   extension's own CPU time (``TECHSPEC_TIMING``, timers around its handlers and
   directives) and the collector's time;
2. a no-op rebuild (nothing changed), then a rebuild after changing the title of
   one test case: CPU, every HTML page written (genindex and search too), and the
   pages that still show the old title (stale pages);
3. in the first ``--gc-off-rounds`` rounds, a full build with Python's collector
   off (``gc.disable()`` before Sphinx starts): what the collector costs each form;
4. in the first ``--parallel-rounds`` rounds, a full ``-j 2`` build, whose HTML is
   compared with the serial build's.

Tables show medians over rounds and ratios of medians (techspec's median over the
other form's median). ``--variants N`` builds N once under each collector policy
and sidebar setting; ``--profile`` writes the top functions of one build under
cProfile (call counts; its times overstate code that makes many small calls).

Usage: ``python bench/run.py --n 1000,4000 --rounds 3`` (see ``--help``).
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
    #: ``TECHSPEC_TIMING``'s report (techspec builds): the extension's own CPU seconds etc.
    timing: dict | None = None
    #: HTML pages this build wrote (mtime changed), every page counted.
    written: int | None = None


@dataclass
class RoundResult:
    """One form, one round: full, no-op and one-edit builds, maybe collector-off and ``-j 2``."""

    form: str
    round: int
    full: BuildResult
    noop: BuildResult
    incremental: BuildResult
    gc_off: BuildResult | None
    parallel: BuildResult | None
    doctree_mb: float
    pages: int
    pages_rewritten: int
    rewritten_pages: list[str]
    pages_showing_title: int
    stale_pages: list[str]
    parallel_identical: bool | None
    parallel_differences: list[str] = field(default_factory=list)
    #: The sphinx_techspec sources changed during the round (others edit the
    #: package while a long benchmark runs): its comparisons are not meaningful.
    code_changed: bool | None = None


#: ``sphinx-build`` with Python's collector off from the first line.
GC_OFF_MAIN = (
    "import gc, sys; gc.disable(); from sphinx.cmd.build import main; sys.exit(main(sys.argv[1:]))"
)


def run_build(
    python: str,
    src: Path,
    build: Path,
    jobs: int = 1,
    gc_off: bool = False,
    timing: bool = False,
    env: dict[str, str] | None = None,
) -> BuildResult:
    """Run one HTML build as a child and measure it with ``wait4``.

    ``os.wait4`` gives the rusage of exactly this child (with the workers it
    forked and reaped under ``-j``), where ``getrusage(RUSAGE_CHILDREN)`` would
    accumulate CPU over every build and keep the largest ``ru_maxrss`` ever seen.
    """
    warnings_file = build / "warnings.txt"
    timing_file = build / "timing.json"
    build.mkdir(parents=True, exist_ok=True)
    timing_file.unlink(missing_ok=True)
    start = [python, "-c", GC_OFF_MAIN] if gc_off else [python, "-m", "sphinx"]
    command = [
        *start,
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
    child_env = dict(os.environ)
    child_env.pop("TECHSPEC_TIMING", None)
    if timing:
        child_env["TECHSPEC_TIMING"] = str(timing_file)
    if gc_off:
        child_env["TECHSPEC_GC_POLICY"] = "none"  # no explicit collections either
    child_env.update(env or {})
    before = page_times(build / "html")
    started = time.perf_counter()
    with (build / "stderr.txt").open("w") as stderr:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=child_env)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    text = warnings_file.read_text() if warnings_file.exists() else ""
    error = (build / "stderr.txt").read_text()[-2000:] if child.returncode else ""
    after = page_times(build / "html")
    return BuildResult(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # Linux: kilobytes
        returncode=child.returncode,
        warnings=text.count("WARNING"),
        error=error,
        timing=json.loads(timing_file.read_text()) if timing_file.exists() else None,
        written=sum(1 for page, mtime in after.items() if before.get(page) != mtime),
    )


def html_pages(html_dir: Path) -> dict[str, Path]:
    """Every written page, by name (genindex and search too; not ``_static``/``_sources``)."""
    pages = {}
    if not html_dir.exists():
        return pages
    for path in html_dir.rglob("*.html"):
        docname = path.relative_to(html_dir).with_suffix("").as_posix()
        if not docname.startswith("_"):
            pages[docname] = path
    return pages


def page_times(html_dir: Path) -> dict[str, int]:
    return {name: path.stat().st_mtime_ns for name, path in html_pages(html_dir).items()}


def digests(html_dir: Path) -> dict[str, str]:
    return {
        str(path.relative_to(html_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(html_dir.rglob("*.html"))
    }


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def measure_round(
    form: str, python: str, src: Path, work: Path, number: int, gc_off: bool, parallel: bool
) -> RoundResult:
    """Full, no-op, one-edit (and collector-off, ``-j 2``) builds of one form, in fresh folders."""
    manifest = json.loads((src / "bench.json").read_text())
    serial, unparallel, nogc = (
        work / f"r{number}-j1",
        work / f"r{number}-j2",
        work / f"r{number}-gc",
    )
    for folder in (serial, unparallel, nogc):
        shutil.rmtree(folder, ignore_errors=True)

    code_before = package_fingerprint()
    techspec = form == "techspec"
    full = run_build(python, src, serial, timing=techspec)
    serial_html = serial / "html"
    serial_digests = digests(serial_html)
    pages = html_pages(serial_html)
    old_title, new_title = manifest["edit"]["old_title"], manifest["edit"]["new_title"]
    showing = sorted(d for d, p in pages.items() if old_title in p.read_text())
    doctree_mb = folder_mb(serial / "doctrees")

    noop = run_build(python, src, serial, timing=techspec)
    # One edit: change one test case's title, rebuild, then put the page back.
    edited = src / manifest["edit"]["page"]
    original = edited.read_text()
    before = page_times(serial_html)
    try:
        edited.write_text(original.replace(old_title, new_title, 1))
        incremental = run_build(python, src, serial, timing=techspec)
    finally:
        edited.write_text(original)
    after = html_pages(serial_html)
    rewritten = [d for d, p in after.items() if p.stat().st_mtime_ns != before.get(d)]
    stale = sorted(d for d in showing if d in after and old_title in after[d].read_text())

    collector_off = run_build(python, src, nogc, gc_off=True) if gc_off else None
    parallel_build, differences = None, []
    if parallel:
        parallel_build = run_build(python, src, unparallel, jobs=2)
        parallel_digests = digests(unparallel / "html")
        differences = sorted(
            name
            for name in serial_digests.keys() | parallel_digests.keys()
            if serial_digests.get(name) != parallel_digests.get(name)
        )
    return RoundResult(
        form=form,
        round=number,
        full=full,
        noop=noop,
        incremental=incremental,
        gc_off=collector_off,
        parallel=parallel_build,
        doctree_mb=doctree_mb,
        pages=len(pages),
        pages_rewritten=len(rewritten),
        rewritten_pages=sorted(rewritten)[:50],
        pages_showing_title=len(showing),
        stale_pages=stale,
        parallel_identical=(not differences) if parallel else None,
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


def _ext(build: BuildResult) -> float | None:
    return build.timing["extension_seconds"] if build.timing else None


#: Per-round values; the summary takes their medians (None: not measured that round).
METRICS = {
    "full CPU s": lambda r: r.full.cpu,
    "full wall s": lambda r: r.full.wall,
    "gc-off CPU s": lambda r: r.gc_off.cpu if r.gc_off else None,
    "no-op CPU s": lambda r: r.noop.cpu,
    "edit CPU s": lambda r: r.incremental.cpu,
    "peak RSS MB": lambda r: r.full.max_rss_mb,
    "gc-off RSS MB": lambda r: r.gc_off.max_rss_mb if r.gc_off else None,
    "-j 2 wall s": lambda r: r.parallel.wall if r.parallel else None,
    "extension CPU s": lambda r: _ext(r.full),
    "collector CPU s": lambda r: r.full.timing["gc_seconds"] if r.full.timing else None,
    "edit extension CPU s": lambda r: _ext(r.incremental),
}
#: The ratios techspec / other form, each a ratio of the two medians.
RATIO_METRICS = ("full CPU s", "full wall s", "gc-off CPU s", "no-op CPU s", "edit CPU s",
                 "peak RSS MB")  # fmt: skip


def summarise(n: int, results: list[RoundResult]) -> dict:
    """Medians per form, and techspec's medians over the other forms'."""
    forms: dict[str, list[RoundResult]] = {}
    for result in results:
        forms.setdefault(result.form, []).append(result)
    summary: dict = {"n": n, "forms": {}, "ratios": {}}
    for form, rounds in forms.items():
        row: dict = {}
        for name, get in METRICS.items():
            values = [v for v in (get(r) for r in rounds) if v is not None]
            row[name] = median(values) if values else None
        row["ms/item"] = 1000 * row["full CPU s"] / n
        row["gc-off ms/item"] = 1000 * row["gc-off CPU s"] / n if row["gc-off CPU s"] else None
        row["edit / full CPU"] = row["edit CPU s"] / row["full CPU s"]
        if row["extension CPU s"] is not None:
            row["extension share"] = row["extension CPU s"] / row["full CPU s"]
        if row["-j 2 wall s"] is not None:
            row["-j 2 / -j 1 wall"] = row["-j 2 wall s"] / row["full wall s"]
        row["pages"] = rounds[0].pages
        row["rewritten"] = median([r.pages_rewritten for r in rounds])
        row["no-op written"] = max(r.noop.written or 0 for r in rounds)
        row["showing title"] = rounds[0].pages_showing_title
        row["stale"] = max(len(r.stale_pages) for r in rounds)
        row["doctree MB"] = median([r.doctree_mb for r in rounds])
        builds = [
            b
            for r in rounds
            for b in (r.full, r.noop, r.incremental, r.gc_off, r.parallel)
            if b is not None
        ]
        row["warnings"] = max(b.warnings for b in builds)
        row["failed builds"] = sum(b.returncode != 0 for b in builds)
        identical = [r.parallel_identical for r in rounds if r.parallel_identical is not None]
        row["-j 2 identical"] = all(identical) if identical else None
        row["code changed"] = sum(r.code_changed is True for r in rounds)
        row["rounds"] = len(rounds)
        summary["forms"][form] = row
    techspec = summary["forms"].get("techspec")
    for other, row in summary["forms"].items():
        if techspec is None or other == "techspec":
            continue
        summary["ratios"][f"techspec/{other}"] = {
            name: (techspec[name] / row[name] if techspec[name] and row[name] else None)
            for name in RATIO_METRICS
        }
    return summary


def _cell(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)


def markdown(summary: dict) -> str:
    n = summary["n"]
    first = next(iter(summary["forms"].values()))
    columns = [
        "full CPU s",
        "ms/item",
        "gc-off ms/item",
        "full wall s",
        "no-op CPU s",
        "edit CPU s",
        "edit / full CPU",
        "rewritten",
        "stale",
        "peak RSS MB",
        "extension share",
        "collector CPU s",
        "-j 2 / -j 1 wall",
        "-j 2 identical",
        "warnings",
        "failed builds",
    ]
    lines = [
        f"N = {n} items ({first['pages']} HTML pages), medians of "
        f"{max(r['rounds'] for r in summary['forms'].values())} rounds",
        "",
        "| form | " + " | ".join(columns) + " |",
        "| --- " * (len(columns) + 1) + "|",
    ]
    for form, row in summary["forms"].items():
        cells = []
        for column in columns:
            value = row.get(column)
            if column == "rewritten":
                value = f"{value:g} (of {row['showing title']} showing the title)"
            elif column == "extension share" and value is not None:
                value = f"{100 * value:.1f} %"
            cells.append(_cell(value))
        lines.append(f"| {form} | " + " | ".join(cells) + " |")
    if summary["ratios"]:
        lines += [
            "",
            "| ratio of medians | " + " | ".join(RATIO_METRICS) + " |",
            "| --- " * (len(RATIO_METRICS) + 1) + "|",
        ]
        for name, ratios in summary["ratios"].items():
            lines.append(
                f"| {name} | " + " | ".join(_cell(ratios[m]) for m in RATIO_METRICS) + " |"
            )
    return "\n".join(lines) + "\n"


def scaling(summaries: list[dict]) -> str:
    forms = sorted({f for s in summaries for f in s["forms"]}, key=generate.FORMS.index)
    lines = [
        "CPU ms per item, full serial build (collector on / off)",
        "",
        "| N | " + " | ".join(forms) + " |",
        "| --- " * (len(forms) + 1) + "|",
    ]
    for s in summaries:
        cells = []
        for f in forms:
            row = s["forms"].get(f)
            cells.append(f"{row['ms/item']:.1f} / {_cell(row['gc-off ms/item'])}" if row else "—")
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
        "cpu": _cpu_model(),
        "memory GB": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    for package in ("sphinx_needs", "sphinx_techspec"):
        with contextlib.suppress(ImportError):
            versions[package] = __import__(package).__version__
    return versions


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


# -- the modes ---------------------------------------------------------------------------


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


def compile_packages(python: str, forms: list[str]) -> None:
    """Compile each form's package to bytecode, as an installed package is.

    ``pip install`` compiles a wheel's modules, but an editable install (or a
    ``PYTHONDONTWRITEBYTECODE`` shell) leaves them as source, and then every build
    compiles them again: about 0.15 s of CPU for sphinx-techspec's modules, which a
    real project never pays. ``compileall`` writes the ``__pycache__`` files once.
    """
    modules = [FORM_MODULES[form].split(".")[0] for form in forms]
    script = (
        "import compileall, importlib.util, sys\n"
        "for name in sys.argv[1:]:\n"
        "    spec = importlib.util.find_spec(name)\n"
        "    for folder in spec.submodule_search_locations or ():\n"
        "        compileall.compile_dir(folder, quiet=1)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([python, "-c", script, *modules], check=False, env=env)


def benchmark(args: argparse.Namespace) -> None:
    pythons = {}
    for form in args.forms:
        python = python_for(form, args.mlx_python)
        if python is None:
            print(f"skipping {form}: {FORM_MODULES[form]} is not installed", file=sys.stderr)
        else:
            pythons[form] = python
    for form, python in pythons.items():
        compile_packages(python, [form])
    for n in args.n:
        rounds = args.rounds_at.get(n, args.rounds)
        root = OUT_DIR / str(n)
        sources = generate.generate(n, root / "src", list(pythons), args.seed, args.views)
        results: list[RoundResult] = []
        for number in range(1, rounds + 1):
            for form, python in pythons.items():
                result = measure_round(
                    form,
                    python,
                    sources[form],
                    root / "build" / form,
                    number,
                    gc_off=number <= args.gc_off_rounds,
                    parallel=number <= args.parallel_rounds,
                )
                results.append(result)
                print_round(n, result)
                if not args.keep:
                    for folder in ("j1", "j2", "gc"):
                        shutil.rmtree(root / "build" / form / f"r{number}-{folder}", True)
            # Saved after every round, so a long run stopped early keeps what it measured.
            summary = summarise(n, results)
            summary["machine"] = machine()
            summary["command"] = " ".join(["python", "bench/run.py", *sys.argv[1:]])
            summary["rounds"] = [asdict(r) for r in results]
            (OUT_DIR / f"results-{n}.json").write_text(json.dumps(summary, indent=1) + "\n")
        print()
        print(markdown(summary))
    report()
    print(f"machine: {json.dumps(machine())}")


def print_round(n: int, result: RoundResult) -> None:
    ext = _ext(result.full)
    print(
        f"N={n} round {result.round} {result.form}: full {result.full.cpu:.1f} s CPU "
        f"({result.full.wall:.1f} s wall, {result.full.max_rss_mb:.0f} MB"
        + (f", extension {ext:.2f} s" if ext is not None else "")
        + f"), no-op {result.noop.cpu:.1f} s, edit {result.incremental.cpu:.1f} s "
        f"({result.pages_rewritten} pages, {len(result.stale_pages)} stale)"
        + (f", collector off {result.gc_off.cpu:.1f} s" if result.gc_off else "")
        + (f", -j 2 {result.parallel.wall:.1f} s wall" if result.parallel else ""),
        flush=True,
    )
    for build in (result.full, result.noop, result.incremental, result.gc_off, result.parallel):
        if build is not None and build.returncode:
            print(f"  a build failed ({build.returncode}): {build.error[-500:]}")


#: Collector policies the variants compare (``TECHSPEC_GC_POLICY``); "off": ``gc.disable()``.
GC_VARIANTS = ("none", "thresholds", "freeze", "thresholds,freeze", "off")
#: What ``sphinx-techspec init`` writes for alabaster (see template/skeleton.py).
INIT_SIDEBARS = (
    'html_sidebars = {"**": ["about.html", "localtoc.html", "relations.html", "searchbox.html"]}\n'
)


def variants(args: argparse.Namespace) -> None:
    """One build of N per collector policy (techspec) and per sidebar setting (each form)."""
    n = args.variants
    root = OUT_DIR / f"variants-{n}"
    forms = [f for f in args.forms if f in ("techspec", "plain") and python_for(f, None)]
    sources = generate.generate(n, root / "src", forms, args.seed, args.views)
    rows = []

    def measure(label: str, form: str, src: Path, **kwargs: object) -> None:
        build = root / "build" / label.replace(" ", "-").replace(",", "+")
        shutil.rmtree(build, ignore_errors=True)
        result = run_build(sys.executable, src, build, **kwargs)  # type: ignore[arg-type]
        rows.append({"variant": label, "form": form, **asdict(result)})
        print(f"{label}: {result.cpu:.1f} s CPU, {result.max_rss_mb:.0f} MB", flush=True)
        shutil.rmtree(build, ignore_errors=True)

    for _ in range(args.rounds_at.get(n, 1)):
        for policy in GC_VARIANTS:
            if policy == "off":
                measure("techspec, collector off", "techspec", sources["techspec"], gc_off=True)
            else:
                measure(
                    f"techspec, policy {policy}",
                    "techspec",
                    sources["techspec"],
                    timing=True,
                    env={"TECHSPEC_GC_POLICY": policy},
                )
        for form in forms:
            src = sources[form]
            sidebar = root / "src" / f"{form}-init-sidebar"
            shutil.rmtree(sidebar, ignore_errors=True)
            shutil.copytree(src, sidebar)
            with (sidebar / "conf.py").open("a") as conf:
                conf.write(INIT_SIDEBARS)
            measure(f"{form}, alabaster default sidebars", form, src)
            measure(f"{form}, init's html_sidebars", form, sidebar)
            if form == "plain":
                measure("plain, collector off", form, src, gc_off=True)
    result = {"n": n, "machine": machine(), "rows": rows}
    result["command"] = " ".join(["python", "bench/run.py", *sys.argv[1:]])
    (OUT_DIR / f"variants-{n}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(variants_markdown(result))


def variants_markdown(result: dict) -> str:
    groups: dict[str, list[dict]] = {}
    for row in result["rows"]:
        groups.setdefault(row["variant"], []).append(row)
    lines = [
        f"Variants at N = {result['n']}, median of {max(len(g) for g in groups.values())} build(s)",
        "",
        "| variant | CPU s | ms/item | peak RSS MB | collector CPU s | collections (gen 0/1/2) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, group in groups.items():
        cpu = median([r["cpu"] for r in group])
        rss = median([r["max_rss_mb"] for r in group])
        timing = group[0]["timing"]
        gc_cpu = f"{median([r['timing']['gc_seconds'] for r in group]):.2f}" if timing else "n/a"
        counts = timing["gc_collections"] if timing else {}
        collections = "/".join(str(counts.get(str(g), 0)) for g in range(3)) if timing else "n/a"
        lines.append(
            f"| {label} | {cpu:.2f} | {1000 * cpu / result['n']:.2f} | {rss:.0f} | {gc_cpu} "
            f"| {collections} |"
        )
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--n", default="1000,4000", help="comma-separated item counts")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per N (at least 3)")
    parser.add_argument(
        "--rounds-at",
        default="",
        help="fewer rounds at some N, e.g. 10000:1 (below 3: indicative only)",
    )
    parser.add_argument("--forms", default="techspec,plain,needs,mlx")
    parser.add_argument(
        "--gc-off-rounds", type=int, default=1, help="rounds with a collector-off build too"
    )
    parser.add_argument(
        "--parallel-rounds", type=int, default=1, help="rounds with a -j 2 build too"
    )
    parser.add_argument(
        "--variants",
        type=int,
        metavar="N",
        help="instead: one build of N per collector policy and sidebar setting",
    )
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
        builds = {
            key: BuildResult(**value) if (value := entry.pop(key, None)) else None
            for key in ("full", "noop", "incremental", "gc_off", "parallel")
        }
        results.append(RoundResult(**builds, **entry))  # type: ignore[arg-type]
    return results


def extension_markdown(n: int, results: list[RoundResult], top: int = 12) -> str:
    """The extension's timers of the median techspec round (by full-build CPU): its
    share, and its ``top`` sections in the full build and in the no-op rebuild."""
    rounds = sorted(
        (r for r in results if r.form == "techspec" and r.full.timing),
        key=lambda r: r.full.cpu,
    )
    if not rounds:
        return ""
    chosen = rounds[(len(rounds) - 1) // 2]
    lines = []
    for label, build in (("full build", chosen.full), ("no-op rebuild", chosen.noop)):
        timing = build.timing
        if not timing:
            continue
        ext = timing["extension_seconds"]
        gc_counts = {k: v for k, v in timing.get("gc_collections", {}).items() if v}
        lines += [
            f"N = {n}, {label} (round {chosen.round}): {build.cpu:.2f} s CPU; extension "
            f"{ext:.2f} s ({100 * ext / build.cpu:.1f} %); collector "
            f"{timing.get('gc_seconds', 0):.2f} s (collections per generation {gc_counts}); "
            f"item bodies (docutils) {timing.get('foreign_seconds', 0):.2f} s",
            "",
            "| section | CPU s | calls |",
            "| --- | --- | --- |",
        ]
        sections = sorted(timing["sections"].items(), key=lambda kv: -kv[1]["seconds"])
        for name, entry in sections[:top]:
            lines.append(f"| `{name}` | {entry['seconds']:.3f} | {entry['calls']} |")
        lines.append("")
    return "\n".join(lines)


def report() -> None:
    """Tables of every ``results-N.json`` in ``bench/out``, smallest N first.

    The summaries are computed again from the stored rounds, so that older
    results are summarised as the current code does.
    """
    files = sorted(OUT_DIR.glob("results-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    summaries = []
    shares: list[str] = []
    for path in files:
        stored = json.loads(path.read_text())
        if "noop" not in stored["rounds"][0]:
            continue  # written by the earlier benchmark, which measured other things
        rounds = load_rounds(stored["rounds"])
        summaries.append(summarise(stored["n"], rounds))
        shares.append(extension_markdown(stored["n"], rounds))
    text = "\n".join(markdown(s) for s in summaries) + "\n" + scaling(summaries)
    text += "\nThe extension's share (its timers, the median techspec round)\n\n"
    text += "\n".join(shares)
    for path in sorted(OUT_DIR.glob("variants-*.json")):
        text += "\n" + variants_markdown(json.loads(path.read_text()))
    (OUT_DIR / "results.md").write_text(text)
    print(text)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.report:
        report()
    elif args.variants:
        variants(args)
    elif args.profile:
        profile(args)
    else:
        benchmark(args)


if __name__ == "__main__":
    main()
