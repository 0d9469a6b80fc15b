#!/usr/bin/env python3
"""Deterministic site root with N indicators (four quarters and five years of history each),
for benchmarking charts: gen_indicators.py --indicators N --out DIR [--with-charts|--empty]

--empty writes the same site without indicator files, so that the difference of the two build
times is what the indicators (their charts, pages and open data) cost."""
import argparse, os, random

AREAS = ["air", "water", "soil", "waste", "climate", "ecology", "risk", "governance"]

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--indicators", type=int, required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--empty", action="store_true")
    o = a.parse_args()
    r = random.Random(2024)
    content = os.path.join(o.out, "content")
    os.makedirs(os.path.join(content, "indicators"), exist_ok=True)
    open(os.path.join(content, "site.yaml"), "w").write("title: 指标基准测试站点\nbase_url: https://example.org/\nyear: 2024\nlanguage: zh-CN\nsample_data: true\n")
    open(os.path.join(content, "areas.yaml"), "w").write("".join(f"- id: {k}\n  name: 领域{j}\n  order: {j}\n" for j, k in enumerate(AREAS)))
    if o.empty:
        return
    for i in range(o.indicators):
        kind = ["level", "level", "cumulative", "qualitative"][i % 4]
        area = AREAS[i % len(AREAS)]
        lines = [f"id: ind{i:04d}", f"name: 基准指标第{i}号", f"area: {area}"]
        if kind == "level":
            target = round(r.uniform(20, 90), 1)
            lines += ["unit: \"%\"", "kind: level",
                      f"target: {{ comparator: \"<=\", value: {target}, tolerance: 1.5, text: 不高于{target}% }}", "values:"]
            lines += [f"  - {{ period: 2024-Q{q}, value: {round(min(100, max(0, target + r.uniform(-5, 5))), 1)} }}" for q in range(1, 5)]
            lines += ["history:"] + [f"  - {{ period: {y}, value: {round(min(100, max(0, target + r.uniform(-8, 8))), 1)} }}" for y in range(2019, 2024)]
        elif kind == "cumulative":
            target = r.randint(10, 100)
            lines += ["unit: 个", "kind: cumulative", f"target: {{ comparator: \">=\", value: {target}, tolerance: 2, text: {target}个以上 }}", "values:"]
            done = 0
            for q in range(1, 5):
                done += r.randint(0, target // 3)
                lines.append(f"  - {{ period: 2024-Q{q}, value: {done} }}")
        else:
            lines += ["kind: qualitative", "target: { text: 完成省下达的年度目标 }", "values:"]
            lines += [f"  - {{ period: 2024-Q{q}, status: {r.choice(['met', 'on_track', 'at_risk', 'not_met'])}, evidence: 样例依据{q} }}" for q in range(1, 5)]
        open(os.path.join(content, "indicators", f"ind{i:04d}.yaml"), "w").write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
