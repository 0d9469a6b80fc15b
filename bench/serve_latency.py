#!/usr/bin/env python3
"""Save-to-reload latency of `ecosite serve`: appends a sentence to a summary file and times
until the server's event stream tells that page to reload (what the browser then does).
ecosite only; bench/preview_latency.py measures save → page shows the edit for ecosite, Hugo and Zola alike.

serve_latency.py --root SITE_ROOT --summary content/summaries/air/x.md [--runs 9] [--binary PATH]
Works on a copy: the summary file is restored at the end."""
import argparse, os, socket, subprocess, statistics, sys, time

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--root", required=True)
    a.add_argument("--summary", required=True, help="path of a summary relative to the root")
    a.add_argument("--runs", type=int, default=9)
    a.add_argument("--binary", default=os.environ.get("ECOSITE") or os.path.join(os.path.dirname(__file__), "..", "target", "release", "ecosite"))
    o = a.parse_args()
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    server = subprocess.Popen([o.binary, "serve", "--root", o.root, "--port", str(port)], stderr=subprocess.DEVNULL)
    path = os.path.join(o.root, o.summary)
    original = open(path, encoding="utf-8").read()
    parts = o.summary.split("/")
    url = f"/summaries/{parts[-2]}/{os.path.splitext(parts[-1])[0]}/"
    try:
        deadline = time.time() + 120
        while True:
            try:
                events = socket.create_connection(("127.0.0.1", port)); break
            except OSError:
                if time.time() > deadline: sys.exit("server did not start")
                time.sleep(0.05)
        events.sendall(b"GET /__ecosite/events HTTP/1.1\r\nHost: x\r\n\r\n")
        stream = events.makefile("rb")
        while not stream.readline().startswith(b": ecosite"): pass
        times = []
        for run in range(o.runs):
            time.sleep(0.3)
            started = time.perf_counter()
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\n延迟测试第{run}句。\n")
            while True:
                line = stream.readline()
                if line.startswith(b"data: ") and url.encode() in line:
                    break
            times.append((time.perf_counter() - started) * 1000)
        print(f"{o.root}: save-to-reload median {statistics.median(times):.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}, {o.runs} saves; includes the server's quiet period)")
    finally:
        open(path, "w", encoding="utf-8").write(original)
        server.kill()

if __name__ == "__main__":
    main()
