#!/usr/bin/env bash
# Start the action server, the Rasa server and the chat page on the embedded defaults, bound to
# 127.0.0.1. Ctrl-C (or SIGTERM) stops all three. Called by `make run`, which installs and trains first.
# Before starting, the case store's schema is upgraded (alembic upgrade head) on DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -f .env ]]; then
  set -a; source ./.env; set +a
fi
HOST="${NOTICEBOT_HOST:-127.0.0.1}"
RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
WEB_PORT="${WEB_PORT:-8080}"
# credentials.yml names these; Rasa refuses an unset ${VAR}, an empty one turns the channel off.
for var in SLACK_TOKEN SLACK_SIGNING_SECRET TELEGRAM_TOKEN TELEGRAM_BOT_USERNAME \
           TELEGRAM_WEBHOOK_URL TELEGRAM_SECRET_TOKEN; do
  export "$var=${!var:-}"
done
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

# Secrets (the HTTP API's token, the action server's token, the REST webhook's token, the widget's
# session key) come from the environment or from var/ (generated on first use, mode 0600); the
# servers read them themselves, so none of them is ever on a command line (docs/security.md).

# The case store's tables (the tracker store creates its own).
alembic -c alembic.ini upgrade head

pids=()
declare -A names
stop() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo "Stopping the assistant..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop INT TERM EXIT

# The action server on rasa_sdk alone, without Rasa or TensorFlow (rasa_ext/serve_actions.py);
# rasa_sdk_plugins/ adds the token check. (rasa_sdk 3.6 spells its option --logging-config_file.)
SANIC_HOST="${ACTION_HOST:-127.0.0.1}" python -m rasa_ext.serve_actions --actions actions --port "$ACTION_PORT" \
  --logging-config_file deploy/logging.yml &
pids+=($!)
# Rasa through its launcher (rasa_ext/serve.py): the API token and the logging configuration.
python -m rasa_ext.serve --model models --enable-api --interface "$HOST" --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml &
pids+=($!)
noticebot web --host "$HOST" --port "$WEB_PORT" &
pids+=($!)

echo "Rasa server on http://$HOST:$RASA_PORT, action server on http://${ACTION_HOST:-127.0.0.1}:$ACTION_PORT," \
     "chat page on http://$HOST:$WEB_PORT/ (Ctrl-C stops all three)"
# Stop everything as soon as one server exits, saying which.
names=([${pids[0]}]="the action server" [${pids[1]}]="the Rasa server" [${pids[2]}]="the chat page")
exited=""
set +e
wait -n -p exited "${pids[@]}"
status=$?
set -e
label="a server"
[[ -n "$exited" && -n "${names[$exited]:-}" ]] && label="${names[$exited]}"
echo "run.sh: $label exited with status $status" >&2
stop
exit "$status"
