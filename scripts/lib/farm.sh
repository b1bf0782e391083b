# Helpers for benchmarks that drive the embedded default farm over REST. Source after common.sh.

# start_embedded_farm WORK MEDIA_PORT builds and starts the embedded farm (data in WORK/data, pid in
# WORK/farm.pid, log in WORK/farm.log), allowing media from 127.0.0.1:MEDIA_PORT, and waits until
# it is ready. Sets api (the REST base URL) and auth (curl arguments with the admin key).
start_embedded_farm() {
  local work=$1 mport=$2 rest grpc coord deadline p ports=""
  log "building"
  dotnet build embedded/RenderFarm.Embedded -c Release -nologo -v q -clp:ErrorsOnly
  # Three distinct ports besides the media server's (free_port can pick one twice before anything listens).
  while [[ $(wc -w <<<"$ports") -lt 3 ]]; do
    p=$(free_port)
    [[ " $ports $mport " == *" $p "* ]] || ports+=" $p"
  done
  read -r rest grpc coord <<<"$ports"
  log "starting the farm"
  RenderFarm__Embedded__DataDirectory="$work/data" RenderFarm__Media__AllowedHosts__0="127.0.0.1:$mport" \
  RenderFarm__Facade__RestPort=$rest RenderFarm__Facade__GrpcPort=$grpc RenderFarm__Coordinator__Port=$coord \
    dotnet embedded/RenderFarm.Embedded/bin/Release/net10.0/RenderFarm.Embedded.dll >"$work/farm.log" 2>&1 &
  echo $! >"$work/farm.pid"
  api="http://127.0.0.1:$rest"
  deadline=$((SECONDS + 120))
  until curl -fsS "$api/readyz" >/dev/null 2>&1; do
    kill -0 "$(cat "$work/farm.pid")" 2>/dev/null || { tail -40 "$work/farm.log"; die "the farm exited"; }
    ((SECONDS < deadline)) || { tail -40 "$work/farm.log"; die "the farm did not become ready"; }
    sleep 0.2
  done
  # The embedded default keeps its admin key in the data directory's secrets.json.
  auth=(-H "authorization: Bearer $(json_field "$(cat "$work/data/secrets.json")" AdminKey)")
}

# farm_render FILE creates a production from the request in FILE and follows its events until it
# ends; prints the production JSON (dies unless it SUCCEEDED).
farm_render() {
  local created id state="" production
  created=$(curl -sS "${auth[@]}" -X POST -H 'content-type: application/json' --data-binary @"$1" "$api/v1/productions")
  id=$(json_field "$created" id)
  [[ -n $id ]] || die "create failed: $created"
  while IFS= read -r line; do
    [[ $line == data:* ]] || continue
    state=$(json_field "${line#data:}" state)
    [[ $state == SUCCEEDED || $state == FAILED || $state == CANCELLED ]] && break
  done < <(curl -sSN "${auth[@]}" --max-time 900 "$api/v1/productions/$id/events")
  production=$(curl -sS "${auth[@]}" "$api/v1/productions/$id")
  [[ $state == SUCCEEDED ]] || { echo "$production" >&2; die "the render ended $state"; }
  printf '%s' "$production"
}
