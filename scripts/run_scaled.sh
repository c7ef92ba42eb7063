#!/usr/bin/env bash
# The scaled profile on one machine: two Rasa servers and two action servers behind nginx, the
# conversations in PostgreSQL (SQL tracker store), the conversation locks in Redis.
#
#   nginx   :RASA_PORT (5005)     -> Rasa servers   :RASA_SERVER_PORTS   (5006 5007)
#   nginx   :ACTION_PORT (5055)   -> action servers :ACTION_SERVER_PORTS (5056 5057)
#   chat page :WEB_PORT (8080), its widget pointed at nginx
#
# Called by `make run-scaled` (which installs and trains first). Ctrl-C stops everything.
# Configuration: the same .env / environment as scripts/run.sh, plus DATABASE_URL (must be
# PostgreSQL; default postgresql://postgres@127.0.0.1:5432/noticebot, created when missing),
# REDIS_HOST / REDIS_PORT / REDIS_DB (127.0.0.1, 6379, 1), SCALED_RUN_DIR (var/scaled) and
# NGINX_ACCESS_LOG (a file path, or "off").
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -f .env ]]; then
  set -a; source ./.env; set +a
fi
HOST="${NOTICEBOT_HOST:-127.0.0.1}"
export RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
read -r -a rasa_ports <<< "${RASA_SERVER_PORTS:-$((RASA_PORT + 1)) $((RASA_PORT + 2))}"
read -r -a action_ports <<< "${ACTION_SERVER_PORTS:-$((ACTION_PORT + 1)) $((ACTION_PORT + 2))}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/noticebot}"
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}" REDIS_PORT="${REDIS_PORT:-6379}" REDIS_DB="${REDIS_DB:-1}"
# Slack's replay cache is shared by the Rasa servers (a replay may reach the other one).
export REPLAY_CACHE_REDIS_URL="${REPLAY_CACHE_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB}"
RUN_DIR="$(mkdir -p "${SCALED_RUN_DIR:-var/scaled}" && cd "${SCALED_RUN_DIR:-var/scaled}" && pwd)"
ACCESS_LOG="${NGINX_ACCESS_LOG:-$RUN_DIR/nginx-access.log}"
export ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTION_PORT}/webhook"
for var in SLACK_TOKEN SLACK_SIGNING_SECRET TELEGRAM_TOKEN TELEGRAM_BOT_USERNAME \
           TELEGRAM_WEBHOOK_URL TELEGRAM_SECRET_TOKEN; do
  export "$var=${!var:-}"
done
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

fail() { echo "run-scaled: $*" >&2; exit 2; }

command -v curl >/dev/null || fail "curl is needed to check that the servers are up (apt-get install curl)."
compgen -G "models/*.tar.gz" >/dev/null \
  || fail "no trained model in models/: run \`make train\` (or start this with \`make run-scaled\`)."
[[ "$DATABASE_URL" == postgresql* ]] \
  || fail "DATABASE_URL must name a PostgreSQL database: several Rasa servers cannot share SQLite."
# The HTTP API's token (RASA_AUTH_TOKEN, else var/rasa-api-token, generated once): the Rasa
# servers read it themselves (rasa_ext/serve.py); here it is only needed to ask /status, and it
# never goes on a command line (curl reads its URL from stdin).
api_token="$(python -c 'from noticebot.settings import secret; print(secret("RASA_AUTH_TOKEN"))')" \
  || fail "cannot read or create the HTTP API's token (see the line above)."

# nginx from Debian, installed when missing.
NGINX="$(command -v nginx || true)"
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]]; then
  echo "run-scaled: installing nginx (Debian package)"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends nginx-light \
    || { "${sudo_cmd[@]}" apt-get update && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends nginx-light; }
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
fi

# Redis must answer before anything starts (Rasa would only find out at the first message).
python - <<'PY' || fail "Redis does not answer at ${REDIS_HOST}:${REDIS_PORT} (REDIS_HOST, REDIS_PORT): start it or point the variables at it."
import os, sys, redis
try:
    redis.Redis(host=os.environ["REDIS_HOST"], port=int(os.environ["REDIS_PORT"]),
                db=int(os.environ["REDIS_DB"]), socket_connect_timeout=3).ping()
except (redis.RedisError, ValueError) as error:
    print(f"run-scaled: {type(error).__name__}: {error}", file=sys.stderr)
    sys.exit(1)
PY
# The database (created when missing) and the case store's tables; the tracker store makes its own.
noticebot cases migrate --create-database \
  || fail "cannot prepare the database named by DATABASE_URL (see the line above)."

# nginx's configuration, from deploy/nginx.conf.template.
servers() { for port in "$@"; do printf '        server 127.0.0.1:%s max_fails=1 fail_timeout=10s;\n' "$port"; done; }
python - "$RUN_DIR/nginx.conf" <<PY
import sys
text = open("deploy/nginx.conf.template").read()
for key, value in {
    "@RUN_DIR@": "$RUN_DIR", "@ACCESS_LOG@": "$ACCESS_LOG", "@HOST@": "[$HOST]" if ":" in "$HOST" else "$HOST",
    "@LB_PORT@": "$RASA_PORT", "@ACTIONS_PORT@": "$ACTION_PORT",
    "@RASA_SERVERS@": """$(servers "${rasa_ports[@]}")""",
    "@ACTION_SERVERS@": """$(servers "${action_ports[@]}")""",
}.items():
    text = text.replace(key, value)
open(sys.argv[1], "w").write(text)
PY
# (nginx -t also complains that it cannot open the default error log before it reads ours.)
if ! checked="$("$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" 2>&1)"; then
  grep -v "could not open error log file" <<< "$checked" >&2 || true
  fail "nginx refuses the configuration rendered in $RUN_DIR/nginx.conf (see above)."
fi

pids=()
stop() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo "Stopping the scaled assistant..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# Action servers on rasa_sdk alone, without TensorFlow (rasa_ext/serve_actions.py; its option is spelled --logging-config_file); Rasa servers
# through their launcher (secrets, logging): see scripts/run.sh.
for port in "${action_ports[@]}"; do
  SANIC_HOST=127.0.0.1 python -m rasa_ext.serve_actions --actions actions --port "$port" \
    --logging-config_file deploy/logging.yml &
  pids+=($!)
done
for port in "${rasa_ports[@]}"; do
  python -m rasa_ext.serve --model models --enable-api --interface 127.0.0.1 --port "$port" \
    --endpoints endpoints.scaled.yml --credentials credentials.yml &
  pids+=($!)
done
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" &
nginx_pid=$!
pids+=("$nginx_pid")
noticebot web --host "$HOST" --port "$WEB_PORT" &
pids+=($!)

# A Rasa server whose model failed to load still serves HTTP but drops every message; /status
# says 409 until a model is loaded.
echo "run-scaled: waiting for the Rasa servers to load the model..."
for port in "${rasa_ports[@]}"; do
  for _ in $(seq 1 240); do
    code="$(printf 'url = "http://127.0.0.1:%s/status?token=%s"\n' "$port" "$api_token" \
            | curl -s -o /dev/null -w '%{http_code}' -K - || true)"
    [[ "$code" == 200 ]] && break
    sleep 0.5
  done
  [[ "$code" == 200 ]] || fail "the Rasa server on :$port did not load the model within 120 s (see above)."
done

database="$(python -c 'import os; from noticebot.intake.db import mask_url; print(mask_url(os.environ["DATABASE_URL"]))')"
echo "Scaled assistant: load balancer on http://$HOST:$RASA_PORT (Rasa servers on" \
     "${rasa_ports[*]}, action servers on ${action_ports[*]} behind :$ACTION_PORT), chat page on" \
     "http://$HOST:$WEB_PORT/, conversations in $database, locks in Redis" \
     "$REDIS_HOST:$REDIS_PORT/$REDIS_DB. Ctrl-C stops everything."
# A Rasa or action server that exits leaves the others serving (that is the point of several,
# and a server started again by hand on its port is taken back by nginx); nginx exiting stops
# everything.
running=("${pids[@]}")
status=0
while ((${#running[@]})); do
  exited=""
  set +e
  wait -n -p exited "${running[@]}"
  status=$?
  set -e
  [[ -z "${exited:-}" ]] && break
  remaining=()
  for pid in "${running[@]}"; do [[ "$pid" != "$exited" ]] && remaining+=("$pid"); done
  running=("${remaining[@]}")
  echo "run-scaled: process $exited exited with status $status" >&2
  [[ "$exited" == "$nginx_pid" ]] && break
done
stop
exit "$status"
