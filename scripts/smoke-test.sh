#!/usr/bin/env bash
# The smoke test of a release: the three probes answer 200, a task is written and read back, the
# request ID sent is echoed, and (when SMOKE_LOGS is set) the service logged that request with a
# trace ID. The task is deleted afterwards. Run by release-validation.yml after every sync, and by
# ReleaseValidationIT against the packaged service.
# Usage: scripts/smoke-test.sh BASE_URL
#   SMOKE_LOGS          a command that prints the service's recent log lines (e.g. kubectl logs)
#   SMOKE_WAIT_SECONDS  how long to wait for readiness first (60)
#   SMOKE_LOG_WAIT_SECONDS  how long to wait for the request's log line (20)
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 BASE_URL" >&2
  exit 2
fi
base="${1%/}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "smoke test FAILED: $*" >&2
  exit 1
}
# Prints the status; the body goes to $work/body, the headers to $work/headers.
call() {
  curl --silent --show-error --max-time 10 --dump-header "$work/headers" --output "$work/body" \
    --write-out '%{http_code}' "$@" || echo 000
}

deadline=$((SECONDS + ${SMOKE_WAIT_SECONDS:-60}))
until [ "$(call "$base/health/ready")" = 200 ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "$base/health/ready did not answer 200"
  sleep 1
done
for probe in /health/started /health/live /health/ready; do
  status="$(call "$base$probe")"
  [ "$status" = 200 ] || fail "$probe answered $status"
done

request_id="smoke-$(date +%s)-$RANDOM"
title="smoke test $request_id"
status="$(call --request POST --header 'Content-Type: application/json' \
  --header "X-Request-ID: $request_id" --data "{\"title\":\"$title\"}" "$base/tasks")"
[ "$status" = 201 ] || fail "POST /tasks answered $status: $(head -c 300 "$work/body")"
grep -qiF "x-request-id: $request_id" "$work/headers" || fail "X-Request-ID $request_id not echoed"
id="$(sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p' "$work/body")"
[ -n "$id" ] || fail "POST /tasks returned no id: $(head -c 300 "$work/body")"

status="$(call "$base/tasks/$id")"
[ "$status" = 200 ] || fail "GET /tasks/$id answered $status"
grep -qF "\"title\":\"$title\"" "$work/body" || fail "GET /tasks/$id did not return the title written"
status="$(call --request DELETE "$base/tasks/$id")"
[ "$status" = 204 ] || fail "DELETE /tasks/$id answered $status"

if [ -n "${SMOKE_LOGS:-}" ]; then
  # JSON lines carry "trace_id":"<32 hex>", text lines [trace=<32 hex> request=<id>].
  deadline=$((SECONDS + ${SMOKE_LOG_WAIT_SECONDS:-20}))
  until bash -c "$SMOKE_LOGS" | grep -F "$request_id" | grep -Eq '("trace_id":"|trace=)[0-9a-f]{32}'; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no log line with request ID $request_id and a trace ID"
    sleep 1
  done
fi
echo "smoke test passed: probes, write and read of task $id, request ID $request_id echoed${SMOKE_LOGS:+ and logged with a trace ID}"
