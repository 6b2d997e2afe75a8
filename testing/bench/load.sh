#!/usr/bin/env bash
# The packaged portal under load: 50 signed-in users (real host accounts ds01load01..50, through the sign-in form)
# holding 200 real CPU-only containers (4 each, deployed through the API), then wrk with 100 connections for 30 s
# against the dashboard, the launcher and the main API reads, the users' session cookies rotated across requests.
# Prints one BENCH line per endpoint (requests per second, p50/p99 latency, non-200 responses), the portal's
# resident memory at idle and its peak under load, and its time from start to ready (/q/health/ready 200).
# Fails when any response under load was not a 200 (a 303 to /signin would make a false figure).
# Run as root after testing/run-tests.sh has set the machine up (engine, base test image); on a shared machine
# under the tests' lock: flock /tmp/ds01-tests.lock testing/bench/load.sh
# Idempotent: installs wrk if missing, builds the package if stale, keeps the accounts, removes its containers.
# LOAD_DURATION (default 30s) and LOAD_CONNECTIONS (default 100) change the wrk runs.
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS=50
PER_USER=4
FIRST_UID=2101
PASSWORD="ds01-test-password"
IMAGE="ds01-test/base:latest"
DURATION="${LOAD_DURATION:-30s}"
CONNECTIONS="${LOAD_CONNECTIONS:-100}"
# the dashboard and launcher pages, then the main API reads (ds01.containers.ContainerApi, ds01.gpu.GpuApi,
# ds01.projects.ProjectApi, ds01.images.ImageApi)
ENDPOINTS=("/ text/html" "/launcher text/html" "/api/containers application/json" "/api/gpu/inventory application/json"
  "/api/gpu/quota application/json" "/api/projects application/json" "/api/images application/json")

say() { printf '[load] %s\n' "$*" >&2; }
die() { printf '[load] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run me as root"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (start it: testing/dockerd.sh start)"
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "no $IMAGE on the engine: run testing/run-tests.sh once first"

# --- 1. wrk and the packaged portal --------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  say "installing wrk"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
fi
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main config db -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then
  say "building the package (mvn package -DskipTests)"
  mvn -B -q package -DskipTests
fi

# --- 2. the bench's host accounts ---------------------------------------------------------------------------
NAMES=() EXTRA=()
for i in $(seq 1 "$USERS"); do
  NAMES+=("$(printf 'ds01load%02d' "$i")")
  EXTRA+=("${NAMES[-1]}:$((FIRST_UID + i - 1))")
done
# the PAM service file, the test accounts, and ours beside them (same password, uid clashes refused)
bash testing/setup-accounts.sh "${EXTRA[@]}"
say "$USERS accounts ready: ${NAMES[0]}..${NAMES[-1]} (uids $FIRST_UID..$((FIRST_UID + USERS - 1)))"

remove_containers() {
  local ids
  ids="$(docker ps -a --filter label=ds01.user --format '{{.ID}} {{.Label "ds01.user"}}' | awk '$2 ~ /^ds01load[0-9]+$/ {print $1}')"
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
}
remove_containers   # a run cut short before its clean-up

# --- 3. the portal, on its built-in PostgreSQL in a fresh data directory ---------------------------------------
TMP="$(mktemp -d /tmp/ds01-load.XXXXXX)"
chmod 755 "$TMP"   # the built-in PostgreSQL runs as ds01-db and must reach $TMP/data
PORTAL_PID=""
SAMPLER_PID=""
cleanup() {
  local rc=$?
  [ -z "$SAMPLER_PID" ] || kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$PORTAL_PID" ] && kill -0 "$PORTAL_PID" 2>/dev/null; then
    kill -TERM "$PORTAL_PID"
    for _ in $(seq 1 60); do kill -0 "$PORTAL_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$PORTAL_PID" 2>/dev/null && { say "portal still running 60 s after SIGTERM: killing it"; kill -KILL "$PORTAL_PID"; }
    wait "$PORTAL_PID" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ] && [ -f "$TMP/portal.log" ]; then
    say "the portal's log ends:"; tail -n 40 "$TMP/portal.log" >&2
  fi
  remove_containers || true
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$TMP/limits.yaml" <<'EOF'
# The load bench: CPU-only containers, four each, small resource limits (modelled on the tests' limits-containers.yaml)
defaults:
  max_mig_instances: 1
  max_gpu_slots_per_container: 1
  max_containers_per_user: 4
  max_cpus: 1.5
  memory: 256m
  memory_swap: 256m
  shm_size: 64m
  pids_limit: 256
  gpu_hold_after_stop: 10m
default_group: student
groups:
  student:
    members: []
policies:
  sigterm_grace: 1s
EOF

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
say "starting the portal on $BASE (data in $TMP/data)"
since() { awk -v now="$(date +%s.%N)" -v t0="$1" -v f="${2:-%d}" 'BEGIN { printf f, now - t0 }'; }   # seconds since $1
t0="$(date +%s.%N)"
(
  for v in $(compgen -e | grep -E '^(DS01_|QUARKUS_)' || true); do unset "$v"; done
  export DS01_DATA_DIR="$TMP/data" DS01_NVIDIA_SMI="$PWD/testing/bin/nvidia-smi" DS01_FAKE_GPU_MACHINE=a100-mig \
    DS01_LIMITS_FILE="$TMP/limits.yaml" DS01_BASE_IMAGES="$IMAGE" DS01_HTTP_HOST=127.0.0.1 DS01_HTTP_PORT="$PORT"
  # the JVM options of deploy/systemd/ds01-portal.service
  exec java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar "$JAR"
) >"$TMP/portal.log" 2>&1 &
PORTAL_PID=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready" || true)" = 200 ]; do
  kill -0 "$PORTAL_PID" 2>/dev/null || die "the portal exited before it was ready"
  [ "$(since "$t0")" -lt 300 ] || die "the portal was not ready within 300 s"
  sleep 0.1
done
READY="$(since "$t0" %.2f)"
say "ready after $READY s"

# --- 4. sign in each user through the form, deploy four containers each through the API -------------------------
COOKIES="$TMP/cookies"   # one "ds01-session=..." per line, in user order
: >"$COOKIES"
for name in "${NAMES[@]}"; do
  jar="$TMP/jar-$name"
  token="$(curl -s -c "$jar" -b "$jar" -H 'Accept: text/html' "$BASE/signin" \
    | grep -o 'name="csrf-token" value="[^"]*"' | sed 's/.*value="//; s/"$//')"
  [ -n "$token" ] || die "no CSRF token on the sign-in page"
  code="$(curl -s -o "$TMP/signin.out" -w '%{http_code}' -c "$jar" -b "$jar" -H 'Accept: text/html' \
    --data-urlencode "csrf-token=$token" --data-urlencode "username=$name" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "next=/" "$BASE/signin")"
  [ "$code" = 303 ] || { cat "$TMP/signin.out" >&2; die "sign-in as $name answered $code, not 303"; }
  session="$(awk -F'\t' '$6 == "ds01-session" {print $7}' "$jar")"
  [ -n "$session" ] || die "no ds01-session cookie after signing in as $name"
  echo "ds01-session=$session" >>"$COOKIES"
done
say "$USERS users signed in"

deploy_user() {   # deploy_user INDEX: the user's four containers, one after another; prints failures
  local i="$1" name cookie k code
  name="${NAMES[$((i - 1))]}"
  cookie="$(sed -n "${i}p" "$COOKIES")"
  for k in $(seq 1 "$PER_USER"); do
    code="$(curl -s -o "$TMP/deploy-$name-$k.json" -w '%{http_code}' --max-time 120 -H "Cookie: $cookie" \
      -H 'Accept: application/json' -H 'Content-Type: application/json' \
      --data "{\"project\":\"load$k\",\"image\":\"$IMAGE\",\"gpus\":0}" "$BASE/api/containers" || echo 000)"
    [ "$code" = 201 ] || echo "deploy of load$k for $name answered $code: $(head -c 400 "$TMP/deploy-$name-$k.json" 2>/dev/null)"
  done
}
export -f deploy_user
export NAMES_LIST="${NAMES[*]}" COOKIES TMP BASE IMAGE PER_USER
say "deploying $((USERS * PER_USER)) containers ($PER_USER per user, 4 users at a time)"
d0="$(date +%s)"
failures="$(seq 1 "$USERS" | xargs -P 4 -I{} bash -c 'NAMES=($NAMES_LIST); deploy_user {}')"
[ -z "$failures" ] || { echo "$failures" >&2; die "not every deploy answered 201"; }
say "deployed in $(( $(date +%s) - d0 )) s"

on_engine="$(docker ps --filter label=ds01.user --format '{{.Label "ds01.user"}}' | grep -c '^ds01load[0-9]*$' || true)"
in_db=0
for i in $(seq 1 "$USERS"); do
  n="$(curl -s -H "Cookie: $(sed -n "${i}p" "$COOKIES")" -H 'Accept: application/json' "$BASE/api/containers" \
    | jq '[.[] | select(.state == "running")] | length')"
  in_db=$((in_db + n))
done
want=$((USERS * PER_USER))
say "running containers: $on_engine on the engine, $in_db in the portal's records"
[ "$on_engine" -eq "$want" ] && [ "$in_db" -eq "$want" ] || die "expected $want running containers on both"

# --- 5. resident memory at idle, then wrk against each endpoint ------------------------------------------------
rss_mib() { awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$PORTAL_PID/status"; }
# every session cookie must reach each endpoint as a signed-in user (200), not the sign-in page (303)
for e in "${ENDPOINTS[@]}"; do
  read -r path accept <<<"$e"
  while read -r cookie; do
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "Accept: $accept" "$BASE$path")"
    [ "$code" = 200 ] || die "GET $path with a bench session answered $code, not 200"
  done <"$COOKIES"
done
say "every session gets 200 from every endpoint; settling 20 s for the idle figure"
sleep 20
RSS_IDLE="$(rss_mib)"

cat >"$TMP/rotate.lua" <<'EOF'
-- wrk: each request carries the next user's session cookie (threads start at different users) and the Accept
-- header given after "--"; responses other than 200 are counted, and done() prints one line of figures.
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  cookies = {}
  for line in io.lines(args[1]) do cookies[#cookies + 1] = line end
  accept = args[2]
  i = (id * 17) % #cookies
  non200 = 0
  statuses = ""
end
function request()
  i = i % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[i], ["Accept"] = accept })
end
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if #statuses < 60 then statuses = statuses .. status .. " " end
  end
end
function done(summary, latency, requests)
  local bad, seen = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non200")
    seen = seen .. t:get("statuses")
  end
  local e = summary.errors
  io.write(string.format("WRK rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non200=%d errors=%d statuses=%s\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, bad, e.connect + e.read + e.write + e.timeout, seen == "" and "-" or seen))
end
EOF

echo 0 >"$TMP/rss-peak"
( peak=0; while kill -0 "$PORTAL_PID" 2>/dev/null; do
    r="$(rss_mib 2>/dev/null || echo 0)"; [ "${r:-0}" -le "$peak" ] || { peak="$r"; echo "$peak" >"$TMP/rss-peak"; }
    sleep 0.5
  done ) &
SAMPLER_PID=$!

LINES=()
bad_total=0
for e in "${ENDPOINTS[@]}"; do
  read -r path accept <<<"$e"
  say "wrk -t2 -c$CONNECTIONS -d$DURATION $path ($accept)"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s -s "$TMP/rotate.lua" "$BASE$path" -- "$COOKIES" "$accept" \
    >"$TMP/wrk.out" 2>&1 || { cat "$TMP/wrk.out" >&2; die "wrk failed on $path"; }
  w="$(grep '^WRK ' "$TMP/wrk.out")" || { cat "$TMP/wrk.out" >&2; die "no figures from wrk on $path"; }
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$w"; }
  line="$(printf 'BENCH load %-20s c=%s rps=%s p50=%sms p99=%sms requests=%s non200=%s errors=%s' "$path" \
    "$CONNECTIONS" "$(field rps)" "$(field p50_ms)" "$(field p99_ms)" "$(field requests)" "$(field non200)" "$(field errors)")"
  [ "$(field non200)" = 0 ] || line="$line statuses=$(sed -n 's/.* statuses=//p' <<<"$w" | tr ' ' ',')"
  echo "$line"
  LINES+=("$line")
  bad_total=$((bad_total + $(field non200) + $(field errors)))
done
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
RSS_PEAK="$(cat "$TMP/rss-peak")"

# --- 6. the figures ----------------------------------------------------------------------------------------
echo "BENCH load rss idle=${RSS_IDLE}MiB peak=${RSS_PEAK}MiB (java -Xmx512m, $want containers, $USERS users)"
echo "BENCH load start-to-ready=${READY}s"
errors_in_log="$(grep -c -E ' (ERROR|SEVERE) ' "$TMP/portal.log" || true)"
if [ "$errors_in_log" -gt 0 ]; then
  say "the portal logged $errors_in_log ERROR lines; the first ones:"
  grep -E ' (ERROR|SEVERE) ' "$TMP/portal.log" | head -n 10 >&2
fi
[ "$bad_total" -eq 0 ] || die "$bad_total responses under load were not 200 or failed: the figures above are not all the portal's"
