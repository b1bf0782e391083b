# The distributed farm as real processes on loopback, for scripts/chaos and scripts/soak: a
# redis-server with an append-only file, a facade serving the filesystem object store, coordinators
# and render nodes. Source after common.sh with `run` set to a work directory (pids/, logs/,
# redis/, objects/ are made here); call farm_setup once, then the start_* functions.
# Each server runs in its own process group (setsid), so kill -9 of a node takes its FFmpeg too.
# Everything is stopped by the pid in its pid file, never by name.

bin() { echo "$1/bin/Release/net10.0/$2.dll"; }
facade_dll=$(bin facade/RenderFarm.Facade RenderFarm.Facade)
coordinator_dll=$(bin coordinator/RenderFarm.Coordinator RenderFarm.Coordinator)
node_dll=$(bin node/RenderFarm.Node RenderFarm.Node)

kill_group() { # kill_group NAME SIGNAL
  local f="$run/pids/$1.pid"
  [[ -f $f ]] || return 0
  local pid; pid=$(cat "$f")
  kill "-$2" -- "-$pid" 2>/dev/null || kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$f"
}

# farm_setup: ports, secrets and the environment every part shares.
farm_setup() {
  mkdir -p "$run/pids" "$run/logs" "$run/redis" "$run/objects"
  for dll in "$facade_dll" "$coordinator_dll" "$node_dll"; do [[ -f $dll ]] || die "missing $dll (build first)"; done
  redis_port=$(free_port)
  use_redis_port "$redis_port"
  rest_port=$(free_port)
  grpc_port=$(free_port)
  c1_port=$(free_port)
  c2_port=$(free_port)
  prefix="rf:"
  token="chaos-node-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  signing="chaos-signing-key-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  admin_key="rf_chaos$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

  export Logging__LogLevel__Default=Warning Logging__LogLevel__RenderFarm=Information
  export RenderFarm__Redis__KeyPrefix=$prefix
  # The filesystem object store: the facade serves it (presigned PUTs from nodes, GETs of results);
  # coordinators sign upload URLs with the same key and remove rejected uploads under the same root.
  export RenderFarm__Storage__Root=$run/objects RenderFarm__Storage__SigningKey=$signing
  export RenderFarm__Storage__PublicBaseUrl=http://127.0.0.1:$rest_port
  # Webhooks are signed by coordinators; the facade accepts the run's admin key as its bootstrap key.
  export RenderFarm__Webhooks__SigningSecret="chaos-webhook-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export RenderFarm__Auth__BootstrapAdminKey=$admin_key
}

start() { # start NAME LOG COMMAND... (in its own process group, pid to pids/NAME.pid)
  local name=$1 logf=$2; shift 2
  setsid "$@" >>"$logf" 2>&1 &
  echo $! >"$run/pids/$name.pid"
  disown $!
}

# use_redis_port PORT: the port of the farm's redis-server, as every part is told it.
use_redis_port() {
  redis_port=$1
  redis="127.0.0.1:$redis_port,abortConnect=false"
  export RenderFarm__Redis__Configuration=$redis
}

# start_aof_redis [--restart]: redis-server with an append-only file fsynced on every write. The
# first start may move to another port (see start_redis), before anything connects to it; a
# restart comes back on the port the farm uses.
start_aof_redis() {
  local args=("$run/redis" "$run/logs/redis.log" "$run/pids/redis.pid" --appendonly yes --appendfsync always --save "" --aof-load-truncated yes)
  if [[ ${1:-} == --restart ]]; then
    start_redis_at "$redis_port" "${args[@]}" || die "redis-server did not restart on port $redis_port (see $run/logs/redis.log)"
  else
    start_redis "$redis_port" "${args[@]}"
    use_redis_port "$REDIS_PORT"
  fi
}

start_facade() {
  RenderFarm__Facade__BindAddress=127.0.0.1 RenderFarm__Facade__RestPort=$rest_port RenderFarm__Facade__GrpcPort=$grpc_port \
  RenderFarm__Facade__MaxAttempts=10 \
    start facade "$run/logs/facade.log" dotnet "$facade_dll"
  wait_port "$rest_port" 60 || die "facade did not start (see $run/logs/facade.log)"
}

start_coordinator() { # start_coordinator N PORT
  RenderFarm__Coordinator__Id=coordinator$1 RenderFarm__Coordinator__BindAddress=127.0.0.1 RenderFarm__Coordinator__Port=$2 \
  RenderFarm__Coordinator__MetricsPort=0 RenderFarm__Coordinator__NodeToken=$token \
  RenderFarm__Coordinator__LeaseTtl=00:00:03 RenderFarm__Coordinator__HeartbeatInterval=00:00:00.500 \
  RenderFarm__Coordinator__ReapInterval=00:00:00.250 RenderFarm__Coordinator__DispatchPollInterval=00:00:00.250 \
    start "coordinator$1" "$run/logs/coordinator$1.log" dotnet "$coordinator_dll"
}

start_node() { # start_node N [CPUS] (odd nodes prefer coordinator 1, even ones coordinator 2; CPUS: taskset's list)
  local urls="http://127.0.0.1:$c1_port,http://127.0.0.1:$c2_port"
  (( $1 % 2 == 0 )) && urls="http://127.0.0.1:$c2_port,http://127.0.0.1:$c1_port"
  RenderFarm__Node__CoordinatorUrl=$urls RenderFarm__Node__Token=$token RenderFarm__Node__NodeId=${node_prefix:-chaos-node}$1 \
  RenderFarm__Node__MetricsPort=0 RenderFarm__Node__WorkDirectory=$run/work/node$1 \
  RenderFarm__Node__ReconnectMinDelay=00:00:00.100 RenderFarm__Node__ReconnectMaxDelay=00:00:01 \
  RenderFarm__Node__DrainTimeout=00:00:10 RenderFarm__Node__ProgressInterval=00:00:00.250 \
  RenderFarm__Media__CacheDirectory=$run/cache/node$1 RenderFarm__Capabilities__CandidateEncoders__0=libx264 \
    start "node$1" "$run/logs/node$1.log" ${2:+taskset -c "$2"} dotnet "$node_dll"
}

api() { curl -s --max-time 10 -H "authorization: Bearer $admin_key" "$@"; }

# wait_nodes N: until N of this run's nodes are connected (or die after 90 s).
wait_nodes() {
  local deadline=$((SECONDS + 90))
  until [[ $(json_py "$(api "http://127.0.0.1:$rest_port/v1/nodes")" 'sum(n.get("id", "").startswith("'"$node_prefix"'") for n in j.get("nodes", []))') == "$1" ]]; do
    ((SECONDS < deadline)) || die "the nodes did not connect (see $run/logs)"
    sleep 0.5
  done
}
