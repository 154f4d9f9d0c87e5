#!/usr/bin/env python3
"""pagerproof benchmarks: accuracy on labeled repositories and speed against the peers,
in one command. Run it as `bench/run` (see docs/benchmarks.md):

    bench/run [--checkouts DIR] [--score PATH] [--labels DIR] [--runs N]
              [--repos NAME,...] [--tools NAME,...] [--no-build] [--offline] [--no-docs]

1. builds pagerproof (release) and the `parse_only` and `timings` examples;
2. installs the peers (Ruff, Bandit, Semgrep, Checkov, detect-secrets) at pinned versions
   into bench/.venv/<tool>/ (once; re-installed when bench/requirements/ changes);
3. for each repository of bench/repos.toml found under --checkouts: checks it is at its
   pinned commit, runs every tool once (outputs kept in bench/out/<repo>/, peer findings
   converted to the report contract's shape), then times every tool over several runs,
   interleaved (median wall, CPU, peak RSS), and scores every tool with score.py when the
   repository has labels;
4. on the large repositories: I/O floor and bare tree-sitter parse of the same files; on
   the scaling repository: -j1/-j2 on 10%, 50% and 100% of its files; on the profile
   repository: where pagerproof spends its CPU (timings example, and perf if installed);
5. prints the tables and rewrites the generated part of docs/benchmarks.md.

Stdlib only (Python >= 3.11). Timings are ratios within one run: every tool is measured
back to back on the same tree, under the same load.
"""

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
VENVS = HERE / ".venv"
DOCS = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
import render  # noqa: E402

PP = "pagerproof"
IO_FLOOR = "read files (I/O floor)"
PARSE = "tree-sitter parse only"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def find_beside(rel):
    """`../rel` relative to the repository, else beside the nearest ancestor holding it."""
    for base in [ROOT, *ROOT.parents]:
        p = (base.parent / rel).resolve()
        if p.exists():
            return p
    return (ROOT.parent / rel).resolve()


# --- measuring ---------------------------------------------------------------------------

GNU_TIME = "/usr/bin/time"


def measure(argv, cwd=None, stdout=None, env=None, timeout=1800):
    """Runs argv; returns wall seconds, CPU seconds (user+sys of the process and the
    children it waited for) and peak RSS (KB, the largest process of the tree).

    The peak RSS comes from /usr/bin/time when it is installed: Linux charges a child the
    high-water RSS of the image it replaced at exec, so a tool started straight from this
    Python process would never show less than the driver's own ~30 MB."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    rss_file = None
    argv = [str(a) for a in argv]
    if os.access(GNU_TIME, os.X_OK):
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file, *argv]
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err,
                             env=full_env, start_new_session=True)

        def kill():
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    finally:
        if stdout:
            out.close()
        err.close()
    rss_kb = ru.ru_maxrss
    if rss_file:
        try:
            lines = Path(rss_file).read_text().split()
            rss_kb = int(lines[-1]) if lines and lines[-1].isdigit() else rss_kb
        except OSError:
            pass
        os.unlink(rss_file)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": rss_kb,
            "code": p.returncode, "stderr": tail, "timed_out": wall >= timeout}


def summary(samples):
    walls = sorted(s["wall"] for s in samples)
    return {
        "runs": len(samples),
        "wall": statistics.median(walls),
        "wall_min": walls[0],
        "wall_max": walls[-1],
        "cpu": statistics.median(s["cpu"] for s in samples),
        "rss_mb": max(s["rss_kb"] for s in samples) / 1024,
    }


def loadavg():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return list(os.getloadavg())


# --- the machine, the build, the peers ----------------------------------------------------

def machine():
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "load_start": loadavg()}


def git(*args, cwd=ROOT):
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def target_dir():
    r = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                       capture_output=True, text=True)
    if r.returncode == 0:
        return Path(json.loads(r.stdout)["target_directory"])
    return ROOT / "target"


def build(skip):
    if not skip:
        log("building pagerproof (release) and the parse_only/timings examples ...")
        for cmd in (["cargo", "build", "--release", "-q", "-p", "pagerproof"],
                    ["cargo", "build", "--release", "-q", "-p", "pagerproof_analyze",
                     "--example", "parse_only", "--example", "timings"]):
            if subprocess.run(cmd, cwd=ROOT).returncode != 0:
                sys.exit(f"bench: `{' '.join(cmd)}` failed")
    t = target_dir() / "release"
    bins = {"pagerproof": t / "pagerproof", "parse_only": t / "examples" / "parse_only",
            "timings": t / "examples" / "timings"}
    for name, p in bins.items():
        if not p.exists():
            sys.exit(f"bench: {p} is missing; run without --no-build")
    return bins


def setup_peer(mod, offline):
    """The peer's bin folder, installing it at its pinned version when needed."""
    venv = VENVS / mod.NAME
    req = HERE / "requirements" / mod.PACKAGE
    want = hashlib.sha256(req.read_bytes() + sys.version.encode()).hexdigest()
    stamp = venv / ".bench-stamp"
    bindir = venv / "bin"
    if stamp.exists() and stamp.read_text() == want:
        return bindir, None
    if offline:
        return None, "not installed (--offline)"
    log(f"installing {mod.NAME} ({req.read_text().strip()}) into {venv} ...")
    r = subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True,
                       text=True)
    if r.returncode == 0:
        r = subprocess.run([str(bindir / "pip"), "install", "-q", "--disable-pip-version-check",
                            "-r", str(req)], capture_output=True, text=True)
    if r.returncode != 0:
        return None, f"install failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}"
    stamp.write_text(want)
    return bindir, None


# --- repositories -------------------------------------------------------------------------

def check_commit(root, commit):
    """('ok'|'mismatch'|'unknown', message). Works for clones and for the snapshot
    checkouts (index only, no commit) described in ../shared/bench/README.md."""
    if not (root / ".git").exists():
        return "unknown", "not a git checkout: commit not checked"
    head = git("rev-parse", "-q", "--verify", "HEAD", cwd=root)
    if head:
        if head.startswith(commit) or commit.startswith(head):
            return "ok", f"HEAD {head[:12]}"
        return "mismatch", f"HEAD is {head[:12]}, pinned {commit[:12]}"
    have = git("write-tree", cwd=root)
    want = git("rev-parse", f"{commit}^{{tree}}", cwd=root)
    if have and want:
        if have == want:
            return "ok", f"index tree = tree of {commit[:12]}"
        return "mismatch", f"index tree {have[:12]} is not the tree of {commit[:12]}"
    return "unknown", f"cannot resolve {commit[:12]} in the checkout"


def tree_files(root):
    files = []
    if (root / ".git").exists():
        r = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True)
        if r.returncode == 0:
            for p in r.stdout.decode("utf-8", "replace").split("\0"):
                full = root / p
                if p and full.is_file() and not full.is_symlink():
                    files.append(p)
            return sorted(files)
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != ".git")
        for n in names:
            full = Path(d) / n
            if full.is_file() and not full.is_symlink():
                files.append(str(full.relative_to(root)).replace(os.sep, "/"))
    return sorted(files)


def subset(root, files, pct, name):
    """A deterministic pct% of the files (by a hash of the path), hard-linked into
    bench/out/subsets/; ignore files are always kept so the walk means the same."""
    dest = OUT / "subsets" / f"{name}-{pct}"
    chosen = [p for p in files
              if int(hashlib.sha1(p.encode()).hexdigest()[:8], 16) % 100 < pct
              or p.rsplit("/", 1)[-1] in (".gitignore", ".ignore")]
    stamp = dest / ".bench-subset"
    key = hashlib.sha256("\0".join(chosen).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == key:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    for p in chosen:
        target = dest / p
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(root / p, target)
        except OSError:
            shutil.copy2(root / p, target)
    stamp.write_text(key)
    return dest


# --- one repository -----------------------------------------------------------------------

class Ctx:
    def __init__(self, args, bins, peer_bins, versions):
        self.args = args
        self.bins = bins
        self.peer_bins = peer_bins
        self.versions = versions


def pp_argv(ctx, root, out, threads=0):
    argv = [ctx.bins["pagerproof"], "review", root, "--format", "json", "-o", out]
    if threads:
        argv += ["-j", str(threads)]
    return argv


def tool_cmd(ctx, tool, root, out):
    """(argv, cwd, stdout file, env) for one run of a tool writing its output to `out`."""
    if tool == PP:
        return pp_argv(ctx, root, out), None, None, {}
    mod = peers.BY_NAME[tool]
    argv, cwd, stdout, env = mod.command(str(ctx.peer_bins[tool]), str(root), str(out))
    return argv, cwd, stdout, env


def bench_repo(ctx, repo):
    a = ctx.args
    name = repo["name"]
    root = (a.checkouts / repo["dir"]).resolve()
    if not root.is_dir():
        log(f"[{name}] SKIPPED: no checkout at {root} (pinned {repo['commit'][:12]}, {repo.get('url', '')})")
        return None
    status, note = check_commit(root, repo["commit"])
    if status != "ok":
        log(f"[{name}] WARNING: {note}; figures are for the tree as it is")
    files = tree_files(root)
    tree = {"files": files}
    outdir = OUT / name
    scratch = outdir / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    runs = a.runs or repo.get("runs", 3)
    res = {"name": name, "url": repo.get("url"), "commit": repo["commit"],
           "date": time.strftime("%Y-%m-%d %H:%M %Z"), "pagerproof": ctx.versions.get(PP),
           "commit_status": status, "commit_note": note, "tree_files": len(files),
           "tree_bytes": sum((root / p).stat().st_size for p in files)}

    wanted = repo.get("tools")
    tools = [PP]
    skipped_tools = {}
    for mod in peers.ALL:
        if a.tools and mod.NAME not in a.tools:
            continue
        if wanted and mod.NAME not in wanted:
            continue
        if mod.NAME not in ctx.peer_bins:
            skipped_tools[mod.NAME] = ctx.versions.get(mod.NAME, "not installed")
        elif not mod.applies(tree):
            skipped_tools[mod.NAME] = "nothing to look at in this tree"
        else:
            tools.append(mod.NAME)
    res["tools"] = tools
    res["skipped_tools"] = skipped_tools

    # 1. One run of each tool: its findings (and a warm-up for the timed runs).
    findings = {}
    failures = {}
    for tool in tools:
        raw = outdir / f"{tool}.raw.json"
        if a.score_only:
            if not raw.exists():
                failures[tool] = "no output from an earlier run (--score-only)"
                continue
        else:
            if raw.exists():
                raw.unlink()
            argv, cwd, stdout, env = tool_cmd(ctx, tool, root, raw)
            log(f"[{name}] {tool}: findings run")
            m = measure(argv, cwd=cwd, stdout=stdout, env=env, timeout=a.timeout)
            if not raw.exists() or m["timed_out"]:
                failures[tool] = f"exit {m['code']}: {m['stderr'].strip()[-300:]}"
                log(f"[{name}] {tool} FAILED: {failures[tool]}")
                continue
        conv = outdir / f"{tool}.json"
        if tool == PP:
            shutil.copyfile(raw, conv)
            doc = json.loads(raw.read_text())
            findings[tool] = len(doc.get("findings", []))
            res["pp_stats"] = doc.get("stats", {})
        else:
            found = peers.BY_NAME[tool].convert(str(raw), str(root))
            conv.write_text(json.dumps({"tool": tool, "findings": found}, indent=1))
            findings[tool] = len(found)
    tools = [t for t in tools if t not in failures]
    res["failures"] = failures
    res["findings"] = findings
    if a.score_only:
        old = dict(ctx.previous.get(name) or {})
        old.update({k: res[k] for k in ("findings", "commit_status", "commit_note")})
        if repo.get("labels"):
            old["accuracy"] = accuracy(ctx, repo, outdir, tools)
        return old

    # Large repositories: the files pagerproof reads, for the I/O floor and the parse.
    extras = {}
    if repo.get("large") and not a.no_large:
        lst = outdir / "files-read.lst"
        r = subprocess.run([ctx.bins["parse_only"], str(root), "--list", str(lst)],
                           capture_output=True, text=True)
        if r.returncode == 0:
            res["parse_only"] = json.loads(r.stdout)
            extras[IO_FLOOR] = (["xargs", "-0", "-a", str(lst), "cat"], str(root))
            extras[PARSE] = ([ctx.bins["parse_only"], str(root)], None)
        else:
            log(f"[{name}] parse_only failed: {r.stderr.strip()[-300:]}")

    # 2. Timed runs, interleaved so that every tool sees the same load.
    samples = {t: [] for t in [*tools, *extras]}
    load = [loadavg()]
    for i in range(runs):
        for tool in [*tools, *extras]:
            log(f"[{name}] run {i + 1}/{runs}: {tool}")
            if tool in extras:
                argv, cwd = extras[tool]
                samples[tool].append(measure(argv, cwd=cwd, timeout=a.timeout))
                continue
            out = scratch / f"{tool}.out"
            argv, cwd, stdout, env = tool_cmd(ctx, tool, root, out)
            samples[tool].append(measure(argv, cwd=cwd, stdout=stdout, env=env,
                                         timeout=a.timeout))
        load.append(loadavg())
    res["speed"] = {t: summary(s) for t, s in samples.items() if s}
    res["load"] = [round(max(l[0] for l in load), 2), round(statistics.mean(l[0] for l in load), 2)]

    # 3. Accuracy.
    if repo.get("labels"):
        res["accuracy"] = accuracy(ctx, repo, outdir, tools)

    if repo.get("scaling") and not a.no_scaling:
        res["scaling"] = scaling(ctx, repo, root, files, runs)
    if repo.get("profile") and not a.no_profile:
        res["profile"] = profile(ctx, root, outdir, runs)
    return res


def accuracy(ctx, repo, outdir, tools):
    a = ctx.args
    labels = a.labels / repo["labels"]
    if not a.score.exists() or not labels.exists():
        missing = a.score if not a.score.exists() else labels
        log(f"[{repo['name']}] ACCURACY SKIPPED: {missing} not found "
            "(pass --score PATH and --labels DIR; they live outside the repository)")
        return {"skipped": f"{missing.name} not found"}
    out = {"labels": str(labels.name), "exclude": repo.get("exclude", []), "tools": {}}
    for tool in tools:
        argv = [sys.executable, str(a.score), "--labels", str(labels), "--report",
                str(outdir / f"{tool}.json"), "--json"]
        for x in repo.get("exclude", []):
            argv += ["--exclude", x]
        r = subprocess.run(argv, capture_output=True, text=True)
        if r.returncode != 0:
            log(f"[{repo['name']}] score.py failed for {tool}: {r.stderr.strip()[-300:]}")
            continue
        rows = json.loads(r.stdout)
        out["tools"][tool] = {row["category"]: row for row in rows}
    out["covers"] = {t: (peers.BY_NAME[t].CATEGORIES if t in peers.BY_NAME else None)
                     for t in tools}
    return out


def scaling(ctx, repo, root, files, runs):
    """pagerproof at -j1 and -j2 on deterministic 10%, 50% and 100% subsets."""
    name = repo["name"]
    trees = {10: subset(root, files, 10, name), 50: subset(root, files, 50, name), 100: root}
    stats = {}
    for pct, tree in trees.items():
        out = OUT / name / "scratch" / f"scaling-{pct}.json"
        m = measure(pp_argv(ctx, tree, out))
        if m["code"] == 0 and out.exists():
            stats[pct] = json.loads(out.read_text()).get("stats", {})
    samples = {(pct, j): [] for pct in trees for j in (1, 2)}
    for i in range(runs):
        for (pct, j) in samples:
            log(f"[{name}] scaling run {i + 1}/{runs}: {pct}% -j{j}")
            out = OUT / name / "scratch" / "scaling.out"
            samples[(pct, j)].append(measure(pp_argv(ctx, trees[pct], out, threads=j)))
    rows = []
    for pct in trees:
        s = stats.get(pct, {})
        rows.append({"pct": pct, "files": s.get("files"), "bytes": s.get("bytes"),
                     "lines": s.get("lines"),
                     "j1": summary(samples[(pct, 1)]), "j2": summary(samples[(pct, 2)])})
    return {"rows": rows, "fit": growth(rows)}


def growth(rows):
    """Least-squares exponent k of cost ~ bytes^k, for CPU at -j1 and wall at -j2."""
    def fit(key, field):
        pts = [(math.log(r["bytes"]), math.log(r[key][field])) for r in rows
               if r.get("bytes") and r[key][field] > 0]
        if len(pts) < 2:
            return None
        mx = statistics.mean(x for x, _ in pts)
        my = statistics.mean(y for _, y in pts)
        den = sum((x - mx) ** 2 for x, _ in pts)
        return sum((x - mx) * (y - my) for x, y in pts) / den if den else None
    return {"cpu_j1": fit("j1", "cpu"), "wall_j2": fit("j2", "wall"),
            "rss_j2": fit("j2", "rss_mb")}


def profile(ctx, root, outdir, runs):
    """Where the CPU goes: the timings example (median over runs) and perf's top symbols."""
    snaps = []
    for i in range(runs):
        log(f"[profile] timings run {i + 1}/{runs}")
        r = subprocess.run([ctx.bins["timings"], str(root)], capture_output=True, text=True)
        if r.returncode == 0:
            snaps.append(json.loads(r.stdout))
    res = {}
    if snaps:
        snaps.sort(key=lambda s: s["wall_ns"])
        res["timings"] = snaps[len(snaps) // 2]
    if shutil.which("perf") and not ctx.args.no_perf:
        data = outdir / "perf.data"
        out = outdir / "scratch" / "perf-review.json"
        log("[profile] perf record")
        r = subprocess.run(["perf", "record", "-F", "999", "-q", "-o", str(data), "--",
                            ctx.bins["pagerproof"], "review", str(root), "--format", "json",
                            "-o", str(out)], capture_output=True, text=True)
        if r.returncode == 0:
            rep = subprocess.run(["perf", "report", "-i", str(data), "--no-children",
                                  "--sort", "symbol", "--stdio", "-q", "-g", "none"],
                                 capture_output=True, text=True)
            res["perf"] = perf_symbols(rep.stdout)
        else:
            res["perf_error"] = r.stderr.strip()[-300:]
    return res


def micro(ctx):
    """The divan micro-benchmarks of the per-file hot path (benches/hot_path.rs)."""
    log("[micro] cargo bench -p pagerproof_analyze --bench hot_path")
    r = subprocess.run(["cargo", "bench", "-q", "-p", "pagerproof_analyze", "--bench", "hot_path"],
                       cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip()[-300:]}
    return {"rows": parse_divan(r.stdout), "load": loadavg()}


def parse_divan(text):
    """Rows (group, name, median, median throughput) from divan's tree output."""
    rows, group = [], None
    for line in text.splitlines():
        depth = len(re.match(r"^[│├╰─\s]*", line).group(0))
        body = line[depth:]
        if not body or body.startswith(("hot_path", "Timer")):
            continue
        cells = [c.strip() for c in body.split("│")]
        head = cells[0].split()
        if not head:
            continue
        if re.match(r"^[\d.]+$", head[0]):  # throughput line of the row above
            if rows and len(cells) > 2:
                rows[-1]["median_rate"] = cells[2]
            continue
        name = head[0]
        if len(head) == 1 and all(not c for c in cells[1:]):
            group = name
            continue
        if len(cells) < 4:
            continue
        top = depth <= 3
        rows.append({"group": None if top else group, "name": name,
                     "fastest": " ".join(head[1:]), "median": cells[2]})
        if top:
            group = None
    return rows


def perf_symbols(text):
    rows = []
    for line in text.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\[[.k]\]\s+(.+?)\s*$", line)
        if m:
            sym = re.sub(r"(\s+-)+$", "", m.group(2)).strip()
            rows.append((float(m.group(1)), sym))
    return rows


# --- main ---------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(prog="bench/run", description="pagerproof benchmarks (see docs/benchmarks.md)")
    ap.add_argument("--checkouts", type=Path, default=None,
                    help="folder holding the checkouts named in bench/repos.toml "
                         "(default: ../corpus beside the repository)")
    ap.add_argument("--score", type=Path, default=None,
                    help="score.py (default: ../shared/bench/score.py beside the repository)")
    ap.add_argument("--labels", type=Path, default=None,
                    help="labels folder (default: ../shared/bench/labels)")
    ap.add_argument("--repos", default="", help="comma-separated names from bench/repos.toml")
    ap.add_argument("--tools", default="", help="comma-separated peers to run (pagerproof always runs)")
    ap.add_argument("--runs", type=int, default=0, help="timed runs per tool (default: per repository)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per tool run")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already built")
    ap.add_argument("--offline", action="store_true", help="do not install peers; use what is installed")
    ap.add_argument("--no-large", action="store_true", help="skip the I/O floor and parse-only runs")
    ap.add_argument("--no-scaling", action="store_true", help="skip the scaling runs")
    ap.add_argument("--no-profile", action="store_true", help="skip the CPU profile")
    ap.add_argument("--no-perf", action="store_true", help="profile without perf")
    ap.add_argument("--no-micro", action="store_true", help="skip the divan micro-benchmarks")
    ap.add_argument("--score-only", action="store_true",
                    help="re-convert and re-score the outputs of the last run; no tool is run")
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite the tables from bench/out/results.json; nothing is run")
    ap.add_argument("--docs", type=Path, default=DOCS, help="markdown file to update")
    ap.add_argument("--no-docs", action="store_true", help="print the tables only")
    a = ap.parse_args()
    if a.render_only:
        results = json.loads((OUT / "results.json").read_text())
        text = render.render(results)
        print(text)
        if not a.no_docs:
            render.update_docs(a.docs, text)
        return
    a.checkouts = (a.checkouts or find_beside("corpus")).resolve()
    a.score = (a.score or find_beside("shared/bench/score.py")).resolve()
    a.labels = (a.labels or find_beside("shared/bench/labels")).resolve()
    a.tools = [t for t in a.tools.split(",") if t]
    only = [r for r in a.repos.split(",") if r]

    with open(HERE / "repos.toml", "rb") as f:
        repos = tomllib.load(f)["repo"]
    if only:
        unknown = set(only) - {r["name"] for r in repos}
        if unknown:
            sys.exit(f"bench: unknown repositories {sorted(unknown)}; see bench/repos.toml")
        repos = [r for r in repos if r["name"] in only]
    if not a.checkouts.is_dir():
        sys.exit(f"bench: no checkouts folder at {a.checkouts}; pass --checkouts DIR")
    if not a.score.exists():
        log(f"bench: NOTE: {a.score} not found: accuracy will not be scored "
            "(pass --score PATH/score.py --labels DIR)")

    mach = machine()
    if a.score_only:
        a.no_build = a.offline = True
    bins = build(a.no_build)
    peer_bins, versions = {}, {}
    for mod in peers.ALL:
        if a.tools and mod.NAME not in a.tools:
            continue
        bindir, why = setup_peer(mod, a.offline)
        if bindir:
            peer_bins[mod.NAME] = bindir
            versions[mod.NAME] = mod.version(str(bindir))
        else:
            versions[mod.NAME] = why
            log(f"bench: {mod.NAME}: {why}")
    pp_version = subprocess.run([bins["pagerproof"], "--version"], capture_output=True,
                                text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "?"
    # Dirty only when what is built differs from the commit (bench/ and docs/ edits are not).
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "crates", "Cargo.toml",
                "Cargo.lock")
    versions[PP] = f"{pp_version} ({commit}{'+dirty' if dirty else ''})"
    versions["semgrep rules"] = f"{peers.semgrep.rule_count()} local rules in bench/semgrep/"
    ctx = Ctx(a, bins, peer_bins, versions)

    # The figures behind docs/benchmarks.md; a --no-docs run keeps its own copy so the
    # page and results.json never disagree.
    results_path = OUT / "results.json"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(results_path.read_text())
    except (OSError, ValueError):
        results = {}
    if a.no_docs:
        results_path = OUT / "last-run.json"
    results.setdefault("repos", {})
    ctx.previous = results["repos"]
    ran = []
    for repo in repos:
        r = bench_repo(ctx, repo)
        if r:
            results["repos"][repo["name"]] = r
            ran.append(repo["name"])
    if not a.no_micro and not a.score_only:
        results["micro"] = micro(ctx)
    mach["load_end"] = loadavg()
    if not a.score_only or "machine" not in results:
        results["machine"] = mach
        results["versions"] = versions
        results["command"] = "bench/run " + " ".join(sys.argv[1:])
    results["order"] = [r["name"] for r in tomllib.load(open(HERE / "repos.toml", "rb"))["repo"]]
    results_path.write_text(json.dumps(results, indent=1))

    text = render.render(results)
    print(render.render(results, only=ran, with_micro=not a.no_micro and not a.score_only))
    if not a.no_docs:
        render.update_docs(a.docs, text)
        log(f"bench: updated {a.docs.relative_to(ROOT) if a.docs.is_relative_to(ROOT) else a.docs}")
    log(f"bench: raw results in {results_path}")


if __name__ == "__main__":
    main()
