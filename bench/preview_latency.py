#!/usr/bin/env python3
"""Save-to-visible latency of a running preview server, measured the same way for ecosite, Hugo and Zola.

  preview_latency.py --corpus C [--tools ecosite,hugo,zola] [--runs 9] [--summary air/p00000]
                     [--ecosite PATH] [--hugo PATH] [--zola PATH] [--zola-debounce MS] [--json FILE]

C is a corpus folder written by the shared gen_corpus.py (C/ecosite, C/hugo, C/zola). For each tool:
start its preview server on a free port, wait until the summary's page answers, then --runs times:
append a unique sentence to that summary's Markdown file and poll the page (HTTP GET every ~5 ms,
short timeouts) until its body contains the sentence. The time from the write to the first response
that contains it is one measurement. What the browser does after that (reload, render) is not counted,
so the figure is the same kind of number for the three tools, whatever their reload mechanism.

Servers:
  ecosite serve --root C/ecosite --port P
  hugo server -s C/hugo --port P --disableFastRender      (renders to memory; live reload on)
  zola --root C/zola serve --port P --output-dir TMP --force   (TMP is a scratch folder, removed after)
Each server runs with its default settings. zola serve waits for --debounce ms of quiet (default 1000)
before it rebuilds; --zola-debounce MS passes another value.

The summary file is restored (even on error or Ctrl-C) and the server stopped before the next tool.
Prints one line per tool; --json writes [{tool, pages, runs, median_ms, min_ms, max_ms, times_ms}].
"""
import argparse, http.client, json, os, random, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

POLL_S = 0.005          # pause between two GETs
GET_TIMEOUT_S = 2.0     # one GET
START_TIMEOUT_S = 300   # server up and the page served (a 10,000-page first build takes a while)
SAVE_TIMEOUT_S = 120    # one save until visible
SETTLE_S = 0.5          # quiet time before each save, so that the previous rebuild has finished


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path):
    """Body of GET path (bytes), or None when the server does not answer with 200."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=GET_TIMEOUT_S)
    try:
        c.request("GET", path, headers={"Cache-Control": "no-cache", "Accept-Encoding": "identity"})
        r = c.getresponse()
        body = r.read()
        return body if r.status == 200 else None
    except (OSError, http.client.HTTPException):
        return None
    finally:
        c.close()


def tool_setup(tool, o, bins, scratch, port):
    """(command, summary file, page URL) of one tool. summary is '<area>/<stem>'."""
    corpus, (area, stem) = o.corpus, o.summary.split("/")
    if tool == "ecosite":
        root = os.path.join(corpus, "ecosite")
        return ([bins["ecosite"], "serve", "--root", root, "--port", str(port)],
                os.path.join(root, "content", "summaries", area, stem + ".md"), f"/summaries/{area}/{stem}/")
    if tool == "hugo":
        root = os.path.join(corpus, "hugo")
        return ([bins["hugo"], "server", "-s", root, "--port", str(port), "--bind", "127.0.0.1", "--disableFastRender"],
                os.path.join(root, "content", area, stem + ".md"), f"/{area}/{stem}/")
    if tool == "zola":
        root = os.path.join(corpus, "zola")
        return ([bins["zola"], "--root", root, "serve", "--port", str(port), "--interface", "127.0.0.1",
                 "--output-dir", os.path.join(scratch, "zola-serve-out"), "--force"]
                + (["--debounce", str(o.zola_debounce)] if o.zola_debounce else []),
                os.path.join(root, "content", area, stem + ".md"), f"/{area}/{stem}/")
    raise SystemExit(f"unknown tool {tool}")


def stop(server):
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            server.wait()


def measure(tool, o, bins):
    port = free_port()
    scratch = tempfile.mkdtemp(prefix=f"preview-{tool}-")
    cmd, path, url = tool_setup(tool, o, bins, scratch, port)
    if not os.path.isfile(path):
        raise SystemExit(f"{tool}: no summary file {path}")
    with open(path, "rb") as f:
        original = f.read()
    log = open(os.path.join(scratch, "server.log"), "wb")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              start_new_session=True)
    times = []
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while get(port, url) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = open(os.path.join(scratch, "server.log"), "rb").read()[-2000:].decode("utf-8", "replace")
                raise SystemExit(f"{tool}: server did not serve {url} (command: {' '.join(cmd)})\n{tail}")
            time.sleep(0.05)
        for run in range(o.runs):
            time.sleep(SETTLE_S)
            mark = f"延迟测试第{run}句{random.randrange(10**9):09d}"
            needle = mark.encode("utf-8")
            started = time.perf_counter()
            with open(path, "ab") as f:
                f.write(f"\n\n{mark}。\n".encode("utf-8"))
            deadline = time.monotonic() + SAVE_TIMEOUT_S
            while True:
                body = get(port, url)
                if body is not None and needle in body:
                    break
                if server.poll() is not None:
                    raise SystemExit(f"{tool}: server exited during save {run}")
                if time.monotonic() > deadline:
                    raise SystemExit(f"{tool}: '{mark}' not visible at {url} after {SAVE_TIMEOUT_S} s")
                time.sleep(POLL_S)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        with open(path, "wb") as f:
            f.write(original)
        stop(server)
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return {"tool": tool, "runs": len(times), "median_ms": statistics.median(times),
            "min_ms": min(times), "max_ms": max(times), "times_ms": [round(t, 1) for t in times]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--corpus", required=True, help="corpus folder with ecosite/, hugo/, zola/")
    a.add_argument("--tools", default="ecosite,hugo,zola", help="comma-separated: ecosite, hugo, zola")
    a.add_argument("--runs", type=int, default=9, help="saves per tool")
    a.add_argument("--summary", default="air/p00000", help="<area>/<stem> of the summary to edit")
    a.add_argument("--ecosite", default=os.environ.get("ECOSITE") or os.path.join(here, "..", "target", "release", "ecosite"))
    a.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    a.add_argument("--zola", default=os.environ.get("ZOLA") or "")
    a.add_argument("--zola-debounce", type=int, default=0, help="zola serve --debounce MS (default: Zola's own, 1000)")
    a.add_argument("--pages", type=int, default=0, help="number of pages, only copied into the JSON")
    a.add_argument("--json", help="write the results to this file")
    o = a.parse_args()
    if o.runs < 1:
        a.error("--runs must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: restore the file
    bins = {"ecosite": o.ecosite, "hugo": o.hugo, "zola": o.zola}
    results = []
    for tool in [t for t in o.tools.split(",") if t]:
        if not (bins.get(tool) and os.access(bins[tool], os.X_OK)):
            print(f"{tool}: skipped, no executable binary (given: '{bins.get(tool, '')}')", file=sys.stderr)
            continue
        r = measure(tool, o, bins)
        r["pages"] = o.pages
        if tool == "zola":
            r["debounce_ms"] = o.zola_debounce or None  # None: Zola's default
        results.append(r)
        print(f"{tool}: save-to-visible median {r['median_ms']:.0f} ms (min {r['min_ms']:.0f}, "
              f"max {r['max_ms']:.0f}, {r['runs']} saves)", flush=True)
    if o.json:
        with open(o.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
