#!/usr/bin/env python3
"""Measures how long a trivial job takes from submission to COMPLETED on a running control plane.

Usage: bench/submit_to_completed.py [--url http://127.0.0.1:8080] [--jobs 50] [--warmup 10]

Submits `true` jobs one after another over loopback, polls each until it is COMPLETED, and prints
the latency percentiles. It sends a bounded number of requests and stops by itself.
"""
import argparse
import json
import statistics
import time
import urllib.request


def post_job(url):
    body = json.dumps({"tenant": "bench", "command": ["true"], "labels": {"bench": "submit-to-completed"}})
    request = urllib.request.Request(url + "/v1/jobs", data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["id"]


def state_of(url, job_id):
    with urllib.request.urlopen(url + "/v1/jobs/" + job_id, timeout=10) as response:
        return json.load(response)["state"]


def one_job(url, deadline_seconds=30.0):
    started = time.perf_counter()
    job_id = post_job(url)
    while True:
        state = state_of(url, job_id)
        if state == "COMPLETED":
            return (time.perf_counter() - started) * 1000.0
        if state in ("FAILED", "CANCELLED") or time.perf_counter() - started > deadline_seconds:
            raise SystemExit("job %s ended %s instead of COMPLETED" % (job_id, state))
        time.sleep(0.002)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    for _ in range(args.warmup):
        one_job(args.url)
    latencies = sorted(one_job(args.url) for _ in range(args.jobs))
    p90 = latencies[max(0, int(len(latencies) * 0.9) - 1)]
    print("jobs=%d p50=%.1f ms p90=%.1f ms max=%.1f ms" % (
        len(latencies), statistics.median(latencies), p90, latencies[-1]))


if __name__ == "__main__":
    main()
