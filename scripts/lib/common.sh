# Shared by scripts/*: installing what is missing, free ports, waiting, stopping by pid, starting
# redis-server, reading JSON (with python3).
# Sourced, not run.

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

# ensure_apt CMD[:PACKAGE] ... installs PACKAGE (default CMD) when CMD is not on PATH.
# Services that packages would start on their own (redis-server) are kept from starting:
# the scripts start exactly the servers they need, on loopback, and stop them.
ensure_apt() {
  local missing=() item cmd pkg
  for item in "$@"; do
    cmd=${item%%:*}; pkg=${item#*:}
    if [[ $cmd == /* ]]; then [[ -e $cmd ]] || missing+=("$pkg")
    else command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg"); fi
  done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  local sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  log "installing ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d created=""
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee $policy >/dev/null; $sudo chmod +x $policy; created=1; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [[ -n $created ]] && $sudo rm -f $policy
  return 0
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 && return 0
  [[ -x $HOME/.dotnet/dotnet ]] && { export PATH="$HOME/.dotnet:$PATH"; return 0; }
  die "the .NET 10 SDK is required (https://dotnet.microsoft.com/download); dotnet is not on PATH"
}

# free_port prints a loopback TCP port nothing listens on, from RENDERFARM_PORTS (LOW-HIGH,
# default 20000-39999; machines shared by several runs give each its own range).
free_port() {
  local p range=${RENDERFARM_PORTS:-20000-39999}
  local low=${range%-*} high=${range#*-}
  for _ in $(seq 1 100); do
    p=$(( (RANDOM % (high - low + 1)) + low ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# wait_port PORT SECONDS waits until something listens on 127.0.0.1:PORT.
wait_port() {
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# stop_pidfile FILE [SECONDS] stops the process whose pid FILE holds (TERM, then KILL after
# SECONDS, default 5) and removes FILE.
stop_pidfile() {
  [[ -f $1 ]] || return 0
  local pid; pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 $(( ${2:-5} * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

# start_redis PORT DIR LOG PIDFILE [OPTION...] starts redis-server on 127.0.0.1:PORT (see
# start_redis_at) and sets REDIS_PORT to the port it listens on: PORT, or, when PORT is taken (a
# run on the same machine got it after free_port) or the server does not come up there, another
# free port, up to 4 times more.
start_redis() {
  local port=$1 attempt
  for attempt in 1 2 3 4 5; do
    if start_redis_at "$port" "${@:2}"; then
      REDIS_PORT=$port
      return 0
    fi
    if ((attempt < 5)); then
      port=$(free_port)
      log "redis-server: trying port $port"
    fi
  done
  tail -20 "$3" >&2
  die "redis-server did not start (see $3)"
}

# start_redis_at PORT DIR LOG PIDFILE [OPTION...] starts redis-server on 127.0.0.1:PORT in its own
# process group (its files in DIR, output appended to LOG, pid in PIDFILE) and waits until that
# process answers PING there; it fails (the server stopped, PIDFILE removed) when PORT is taken
# or no PONG comes from it within 30 seconds. OPTIONs set persistence; without any, nothing is
# persisted. A restart uses it directly: clients know the port.
start_redis_at() {
  local port=$1 dir=$2 logf=$3 pidfile=$4 pid; shift 4
  (($#)) || set -- --save "" --appendonly no
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "redis-server: port $port is taken"
    return 1
  fi
  mkdir -p "$dir"
  setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" "$@" >>"$logf" 2>&1 &
  echo $! >"$pidfile"
  pid=$!
  disown "$pid"
  local deadline=$((SECONDS + 30))
  # The PONG must come from this process: another one on the port (it got there first) is not it.
  until kill -0 "$pid" 2>/dev/null && [[ $(redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null) == PONG ]] \
      && [[ $(redis-cli -h 127.0.0.1 -p "$port" INFO server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p') == "$pid" ]]; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      log "redis-server (pid $pid) did not come up on port $port"
      stop_pidfile "$pidfile"
      return 1
    fi
    sleep 0.2
  done
}

# json_py JSON EXPR prints the Python expression EXPR over the parsed JSON, bound to `j` (nothing
# when JSON does not parse, e.g. an error page or an empty answer).
json_py() {
  printf '%s' "$1" | python3 -c '
import json, sys
try:
    j = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
v = eval(sys.argv[1], {"j": j})
if v is not None:
    print(json.dumps(v) if isinstance(v, (bool, dict, list)) else v)
' "$2"
}

# json_field JSON NAME prints the first scalar value of a field NAME, at any depth in document
# order (empty when absent or when JSON does not parse).
json_field() {
  printf '%s' "$1" | python3 -c '
import json, sys
def find(v, name):
    items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
    for k, x in items:
        if k == name and x is not None and not isinstance(x, (dict, list)):
            return x
        found = find(x, name)
        if found is not None:
            return found
    return None
try:
    v = find(json.load(sys.stdin), sys.argv[1])
except ValueError:
    v = None
if v is not None:
    print(json.dumps(v) if isinstance(v, bool) else v)
' "$2"
}
