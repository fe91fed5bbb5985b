#!/usr/bin/env python3
"""Turns the measurements scripts/bench.sh left in target/bench (and criterion's estimates in
target/criterion) into the table of docs/performance.md: each row's two figures, the ratio
(sealscope ÷ the other side unless the row says otherwise), the target and whether it is met.

Usage: python3 scripts/bench_report.py target/bench
"""
import json
import os
import re
import sys


def criterion_mean_ns(group, function):
    path = os.path.join("target", "criterion", group, function, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["mean"]["point_estimate"]


def fmt_time(ns):
    if ns >= 1e9:
        return "%.2f s" % (ns / 1e9)
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    return "%.1f µs" % (ns / 1e3)


def main(out):
    rows = []

    def row(work, ours, theirs, ratio, target, met):
        rows.append((work, ours, theirs, "%.2f" % ratio, target, "yes" if met else "no"))

    for group, work, target in [
        ("verify-rsa2048-4k", "parse + verify 4 KiB multipart/signed, RSA-2048, chain of 3", 1.2),
        ("verify-p256-4k", "parse + verify 4 KiB multipart/signed, P-256, chain of 3", 2.0),
        ("decrypt-rsa2048-aes256cbc-1m", "decrypt RSA-2048 KTRI + AES-256-CBC, 1 MiB", 1.3),
        ("ieee1609-p256", "verify a 1609.2 SPDU (P-256)", 2.0),
    ]:
        try:
            ours = criterion_mean_ns(group, "sealscope")
            theirs = criterion_mean_ns(group, "openssl")
        except OSError:
            continue
        r = ours / theirs
        row(work, fmt_time(ours), "OpenSSL " + fmt_time(theirs), r, "≤ %.1f" % target, r <= target)

    try:
        secs, rss_kb, size = open(os.path.join(out, "big.txt")).read().split()
        secs, rss, size = float(secs), int(rss_kb) * 1024, int(size)
        line = open(os.path.join(out, "openssl-sha256.txt")).read()
        kps = float(re.findall(r"([0-9.]+)k", line)[-1])
        sha_mbs = kps * 1000 / 1e6
        ours_mbs = size / secs / 1e6
        r = ours_mbs / sha_mbs
        row("verify a 100 MiB signed message (throughput)", "%.0f MB/s (%.2f s)" % (ours_mbs, secs),
            "openssl speed sha256 %.0f MB/s" % sha_mbs, r, "≥ 0.8", r >= 0.8)
        m = rss / size
        row("… peak memory", "%.0f MiB" % (rss / 2**20), "input %.0f MiB" % (size / 2**20), m, "≤ 2.5", m <= 2.5)
    except (OSError, ValueError, IndexError):
        pass

    try:
        ours, theirs, rss_kb, size = open(os.path.join(out, "detached.txt")).read().split()
        ours, theirs, rss, size = float(ours), float(theirs), int(rss_kb) * 1024, int(size)
        r = ours / theirs
        row("verify a detached signature over a 100 MiB file (`--content`)",
            "%.0f ms" % (ours * 1e3), "openssl dgst -sha256 %.0f ms" % (theirs * 1e3), r, "≤ 1.25", r <= 1.25)
        m = rss / size
        row("… peak memory", "%.1f MiB" % (rss / 2**20), "file %.0f MiB" % (size / 2**20), m, "≤ 0.1", m <= 0.1)
    except (OSError, ValueError):
        pass

    try:
        res = json.load(open(os.path.join(out, "batch.json")))["results"]
        one, two = res[0]["mean"], res[1]["mean"]
        n = re.search(r"messages-(\d+)", res[0]["command"])
        count = n.group(1) if n else "?"
        r = one / two
        row("inspect %s signed messages, 2 workers (speed-up over 1)" % count, "%.2f s" % two,
            "1 worker %.2f s" % one, r, "≥ 1.8", r >= 1.8)
    except (OSError, KeyError, IndexError):
        pass

    try:
        res = json.load(open(os.path.join(out, "startup.json")))["results"]
        ours, theirs = res[0]["mean"], res[1]["mean"]
        r = ours / theirs
        row("`sealscope inspect` start-up on one small file", "%.1f ms" % (ours * 1e3),
            "openssl cms -verify %.1f ms" % (theirs * 1e3), r, "≤ 1.0", r <= 1.0)
    except (OSError, KeyError, IndexError):
        pass

    try:
        text = open(os.path.join(out, "browser.txt")).read()
        for m in re.finditer(r"bench (\S+) .*?sealscope wasm ([0-9.]+) ms, PKI.js ([0-9.]+) ms", text):
            ours, theirs = float(m.group(2)), float(m.group(3))
            r = ours / theirs
            row("inspect + verify in Chromium (wasm), %s" % m.group(1), "%.2f ms" % ours,
                "PKI.js %.2f ms" % theirs, r, "≤ 0.5", r <= 0.5)
    except OSError:
        pass

    print("| work | sealscope | compared with | ratio | target | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    try:
        lines = open(os.path.join(out, "scaling-size.txt")).read().split("\n")
        print()
        print("| input | time | throughput | peak memory |")
        print("| --- | --- | --- | --- |")
        for line in filter(None, lines):
            size, secs, rss_kb = line.split()[:3]
            size, secs, rss = int(size), float(secs), int(rss_kb) * 1024
            human = "%d KiB" % (size // 1024) if size < 2**20 else "%.0f MiB" % (size / 2**20)
            mbs = size / secs / 1e6 if secs > 0 else 0.0
            speed = ("%.0f MB/s" if mbs >= 10 else "%.2f MB/s") % mbs if secs > 0 else "—"
            print("| %s | %.3f s | %s | %.1f MiB |" % (human, secs, speed, rss / 2**20))
    except (OSError, ValueError):
        pass
    try:
        lines = open(os.path.join(out, "scaling-count.txt")).read().split("\n")
        print()
        print("| messages (2 workers) | time | per message | peak memory |")
        print("| --- | --- | --- | --- |")
        for line in filter(None, lines):
            fields = line.split()
            n, secs = int(fields[0]), float(fields[1])
            rss = fields[2] if len(fields) > 2 else "-"
            mem = "%.1f MiB" % (int(rss) / 1024) if rss.isdigit() else "—"
            print("| %d | %.3f s | %.2f ms | %s |" % (n, secs, secs / n * 1e3, mem))
    except (OSError, ValueError):
        pass
    try:
        lines = open(os.path.join(out, "broker.txt")).read().split("\n")
        print()
        print("| `listen` consumers on one ActiveMQ queue | time | messages per second | over one consumer |")
        print("| --- | --- | --- | --- |")
        base = None
        for line in filter(None, lines):
            consumers, secs, rate = line.split()
            rate = float(rate)
            base = base or rate
            print("| %s | %.2f s | %.0f | %.2f× |" % (consumers, float(secs), rate, rate / base))
    except (OSError, ValueError):
        pass
    machine = os.path.join(out, "machine.txt")
    if os.path.exists(machine):
        print()
        for line in open(machine):
            print("- " + line.strip())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
