#!/usr/bin/env bash
# A request to Gantry over Kafka with kcat: produced to gantry.requests keyed by its id, then gantry.responses read
# until the request's final message (the one with "finish_reason"); prints that request's messages, one
# "id<TAB>json" line each, in order. GANTRY_KAFKA names the brokers (default: the embedded broker of a local
# `./gantry serve`), REQUEST_ID the request's id.
set -euo pipefail
brokers="${GANTRY_KAFKA:-127.0.0.1:9092}"
id="${REQUEST_ID:-kcat-$(date +%s%N)}"

printf '%s\t{"id":"%s","prompt":"Once upon a time","max_tokens":16,"temperature":0}\n' "$id" "$id" \
  | kcat -b "$brokers" -t gantry.requests -P -K $'\t'

for _ in $(seq 1 120); do
  answer="$(kcat -b "$brokers" -t gantry.responses -C -o beginning -e -q -f '%k\t%s\n' | grep -F "$id"$'\t' || true)"
  if grep -q '"finish_reason"' <<<"$answer"; then
    printf '%s\n' "$answer"
    exit 0
  fi
  sleep 0.5
done
echo "kcat.sh: no final response for $id within 60 s" >&2
exit 1
