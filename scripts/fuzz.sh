#!/usr/bin/env bash
# Schemathesis over the whole OpenAPI document of a demo server (issue 10, finding 8):
# as the office and as a town officer, every operation, valid and invalid requests.
# `make fuzz` runs it; FUZZ_EXAMPLES (default 100) sets examples per operation,
# FUZZ_USERS (default "office town-xiaolan") the demo accounts to fuzz as.
# The demo city goes into a throw-away directory; var/ is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${FUZZ_PORT:-8765}
EXAMPLES=${FUZZ_EXAMPLES:-100}
USERS=${FUZZ_USERS:-office town-xiaolan}
WORK=$(mktemp -d)
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export EQUISERVE_DEMO=1 EQUISERVE_VAR="$WORK" DEBUG=0

$BIN/equiserve migrate >/dev/null
$BIN/equiserve demo load --scale 0.001 >/dev/null
$BIN/equiserve serve --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 60); do
    $BIN/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/v1/openapi.json')" 2>/dev/null && break
    sleep 1
done

token() {
    $BIN/python - "$PORT" "$1" <<'EOF'
import json, sys, urllib.request
port, user = sys.argv[1:]
body = json.dumps({"username": user, "password": f"demo-{user}"}).encode()
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/api/v1/auth/token", body,
    {"Content-Type": "application/json"},
)
print(json.load(urllib.request.urlopen(request))["token"])
EOF
}

# Tokens first: the fuzzing's wrong passwords may lock logins out. Revoking
# tokens (DELETE /api/v1/auth/tokens) ends the session it runs in, so those
# operations get a run, and a token, of their own after the others.
declare -A TOKENS
for user in $USERS; do
    TOKENS[$user]=$(token "$user")
    TOKENS[$user-tokens]=$(token "$user")
done
TOKEN_PATHS='^/api/v1/auth/tokens'
status=0
for user in $USERS; do
    for part in rest tokens; do
        if [ "$part" = rest ]; then
            filter=(--exclude-path-regex "$TOKEN_PATHS") key=$user
        else
            filter=(--include-path-regex "$TOKEN_PATHS") key=$user-tokens
        fi
        echo "== schemathesis as $user ($part), $EXAMPLES examples per operation"
        SCHEMATHESIS_HOOKS=tests.fuzz_hooks PYTHONPATH=. $BIN/schemathesis run \
            "http://127.0.0.1:$PORT/api/v1/openapi.json" "${filter[@]}" \
            --header "Authorization: Bearer ${TOKENS[$key]}" \
            --checks all --max-examples "$EXAMPLES" --seed 1 || status=1
    done
done
if grep -q "Traceback" "$WORK/server.log"; then
    echo "the server logged a traceback:" && grep -A20 "Traceback" "$WORK/server.log"
    status=1
fi
exit $status
