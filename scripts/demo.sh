#!/usr/bin/env bash
# The main job: installs the Debian packages, builds, then runs the Kafka pipeline end to end on
# the embedded broker: starts `streamlearn broker`, produces a generated SEA stream whose concept
# drifts halfway (each event's label follows it 1,000 events later on the same topic), runs
# `streamlearn run` on deploy/examples/demo.json until the end of the topics, shows predictions
# and the drift alerts as they arrive, and stops everything cleanly.
# Usage: scripts/demo.sh [EVENTS]   (default 100000; the embedded broker keeps about 5 MB per
# partition, about 150,000 events with their labels on the 8 partitions of `events`)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
./scripts/build.sh
events=${1:-100000}
work=$(mktemp -d)
trap 'kill "$broker_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

./build/streamlearn broker --brokers 3 --topic events:8 --topic predictions:4 --topic alerts:1 \
    --topic events.dead-letter:1 > "$work/broker.out" &
broker_pid=$!
until grep -q '^bootstrap.servers=' "$work/broker.out" 2>/dev/null; do sleep 0.1; done
servers=$(sed -n 's/^bootstrap.servers=//p' "$work/broker.out")
echo "demo: embedded broker at $servers"

./build/streamlearn generate 'sea(variant=0)' --n "$events" --seed 7 --drift-to 'sea(variant=2)' \
    --drift-at $((events / 2)) --drift-width 1 --format jsonl --output "$work/sea.jsonl"
# Each event gets an id; its label record ({"id":..., "label":...}) comes 1,000 events later.
# Both are keyed by the id, so that a label lands on its event's partition, after it.
awk -v delay=1000 '{
  id = "e" (NR - 1)
  label = $0; sub(/.*"label":/, "", label); sub(/}$/, "", label)
  event = $0; sub(/,"label":[^,}]*/, "", event); sub(/^\{/, "{\"id\":\"" id "\",", event)
  print id "\t" event
  labels[NR] = id "\t{\"id\":\"" id "\",\"label\":" label "}"
  if (NR > delay) { print labels[NR - delay]; delete labels[NR - delay] }
} END { for (i = NR - delay + 1; i <= NR; i++) if (i > 0) print labels[i] }' \
    "$work/sea.jsonl" > "$work/events.jsonl"
kcat -P -b "$servers" -t events -K '\t' -l "$work/events.jsonl"
echo "demo: produced $events events to 'events', each label 1,000 events after its event"

./build/streamlearn run --config deploy/examples/demo.json \
    --set "kafka.bootstrap_servers=$servers" > "$work/summary.json"
echo "demo: the first predictions on 'predictions':"
kcat -C -b "$servers" -t predictions -p 0 -c 3 -e -q -f '%k  %s\n'
echo "demo: the alerts on 'alerts':"
kcat -C -b "$servers" -t alerts -e -q
echo "demo: summary:"
cat "$work/summary.json"
