#!/usr/bin/env bash
# Gantry's OpenAI-compatible API with curl: the served model, a greedy completion, then a streamed chat completion
# (server-sent events, ending with "data: [DONE]"). GANTRY_URL defaults to a local `./gantry serve`; set
# GANTRY_API_KEY when the service requires a key (gantry.api-keys).
set -euo pipefail
base="${GANTRY_URL:-http://localhost:8000/v1}"
headers=(-H 'Content-Type: application/json')
if [ -n "${GANTRY_API_KEY:-}" ]; then
  headers+=(-H "Authorization: Bearer $GANTRY_API_KEY")
fi

models="$(curl -sS --fail-with-body "${headers[@]}" "$base/models")"
echo "$models"
model="$(printf '%s' "$models" | sed -E 's/.*"id":"([^"]+)".*/\1/')"

curl -sS --fail-with-body "${headers[@]}" "$base/completions" \
  -d "{\"model\":\"$model\",\"prompt\":\"Once upon a time\",\"max_tokens\":32,\"temperature\":0}"
echo

curl -sS -N --fail-with-body "${headers[@]}" "$base/chat/completions" \
  -d "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}],\"max_tokens\":32,\"stream\":true}"
