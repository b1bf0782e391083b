"""Checks the end state of a scripts/chaos run and prints its counts; exit status 1 on any failure.

Reads the environment scripts/chaos sets: RUN (its folder, with `submitted`: "id seconds" lines),
PRODUCTIONS, REST (facade base URL), REDIS_PORT, PREFIX, and the counters it prints.
"""
import collections, json, os, re, subprocess, sys, urllib.request

env = os.environ
run, rest, prefix = env["RUN"], env["REST"], env["PREFIX"]
wanted = int(env["PRODUCTIONS"])
failures = []


def get(path):
    request = urllib.request.Request(rest + path, headers={"authorization": "Bearer " + env["API_KEY"]})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.load(r)


def redis(*args):
    out = subprocess.run(["redis-cli", "-p", env["REDIS_PORT"], "--raw", *args], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


submitted = [line.split() for line in open(os.path.join(run, "submitted")) if line.strip()]
if len(submitted) != wanted:
    failures.append(f"only {len(submitted)} of {wanted} productions were accepted")

# No production lost: the listing finds every submitted one.
listed, token = set(), ""
while True:
    page = get("/v1/productions?pageSize=100" + (f"&pageToken={token}" if token else ""))
    listed |= {p["id"] for p in page.get("productions", [])}
    token = page.get("nextPageToken", "")
    if not token:
        break
lost = [pid for pid, _ in submitted if pid not in listed]
if lost:
    failures.append(f"{len(lost)} productions missing from the listing: {lost[:5]}")

states, attempts = collections.Counter(), collections.Counter()
for pid, seconds in submitted:
    p = get(f"/v1/productions/{pid}")
    states[p["state"]] += 1
    attempts[p.get("attempts", 0)] += 1
    if p["state"] != "SUCCEEDED":
        failures.append(f"{pid} ended {p['state']}: {p.get('error')}")
        continue
    url = p["result"]["url"]
    # The record names the winning attempt: the output of the last attempt, which succeeded (of a
    # chunked production: of its join, j{attempt}).
    if f"/{pid}/{p['attempts']}/output.mp4" not in url and not re.search(rf"/{pid}/j[0-9]+/output\.mp4", url):
        failures.append(f"{pid}: result {url.split('?')[0]} is not attempt {p['attempts']}")
    file = os.path.join(run, "downloads", pid + ".mp4")
    urllib.request.urlretrieve(url, file)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration,format_name:stream=codec_type,codec_name",
                            "-of", "json", file], capture_output=True, text=True)
    facts = json.loads(probe.stdout or "{}")
    duration = float(facts.get("format", {}).get("duration", 0))
    video = [s for s in facts.get("streams", []) if s.get("codec_type") == "video"]
    if probe.returncode != 0 or "mp4" not in facts.get("format", {}).get("format_name", "") or not video:
        failures.append(f"{pid}: output is not a readable MP4 with a video stream ({probe.stderr.strip()[:200]})")
    elif abs(duration - float(seconds)) > 0.1:
        failures.append(f"{pid}: output lasts {duration:.3f}s, canvas {seconds}s")
    # Exactly once: one SUCCEEDED event in the production's event log.
    events = [json.loads(e) for e in redis("LRANGE", f"{prefix}events:{pid}", "0", "-1")]
    done = sum(1 for e in events if e.get("state") == "SUCCEEDED")
    if done != 1:
        failures.append(f"{pid}: {done} completion events")

# Nothing left behind.
leases = int(redis("ZCARD", f"{prefix}leases")[0])
# Queues are per (placement, tenant) sorted sets plus a delayed set for retries in backoff; every
# tenant also counts its waiting work.
queued = int(redis("ZCARD", f"{prefix}delayed")[0])
for key in redis("--scan", "--pattern", f"{prefix}q:*"):
    if key and redis("TYPE", key)[0] == "zset":
        queued += int(redis("ZCARD", key)[0])
for key in redis("--scan", "--pattern", f"{prefix}tenant:*:queued"):
    if key:
        queued += int(redis("GET", key)[0] or 0)
running = {k: redis("GET", k)[0] for k in redis("--scan", "--pattern", f"{prefix}tenant:*:running")}
if leases:
    failures.append(f"{leases} leases left behind")
if queued:
    failures.append(f"{queued} productions left in the queue")
for key, value in running.items():
    if int(value or 0) != 0:
        failures.append(f"running counter {key} = {value}")

print()
print(f"submitted {len(submitted)}/{wanted}, succeeded {states['SUCCEEDED']}, failed {states['FAILED']}, "
      f"other {sum(states.values()) - states['SUCCEEDED'] - states['FAILED']}")
print("attempts histogram: " + ", ".join(f"{a}: {n}" for a, n in sorted(attempts.items())))
print(f"faults: {env['KILLS_NODE']} node kill -9, {env['KILLS_COORDINATOR']} coordinator kill -9, "
      f"{env['STOPS_COORDINATOR']} coordinator SIGTERM, {env['REDIS_RESTARTS']} redis-server kill -9 + restart")
print(f"stale results rejected: {env['STALE']}; leases left: {leases}; queue left: {queued}; "
      f"running counters: {sum(int(v or 0) for v in running.values())}")
print(f"wall time: {env['WALL']}s")
if failures:
    print(f"\nCHAOS FAILED ({len(failures)} problems):")
    for f in failures[:30]:
        print("  " + f)
    sys.exit(1)
print("CHAOS PASSED: every production SUCCEEDED exactly once with a valid MP4; nothing lost or left behind")
