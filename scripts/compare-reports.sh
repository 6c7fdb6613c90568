#!/usr/bin/env bash
# Runs the same reports with two energy binaries and says whether every output is byte-identical:
# the check that a refactoring changed no figure. Each binary runs `energy demo` (a simulated month,
# fixed seed) into a folder of its own, then the same reports (community and meter, day, month, hour
# and 15-minute buckets around the October DST change, as table, CSV and JSON).
# Usage: scripts/compare-reports.sh OLD_ENERGY NEW_ENERGY [MEMBERS] [MONTH]
#   e.g. scripts/compare-reports.sh /tmp/energy-before .build/debug/energy 746   (about 1,000 metering points)
set -euo pipefail
old=$1 new=$2 members=${3:-50} month=${4:-2026-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
from="$month-01"
to=$(date -d "$from +1 month" +%F)

reports() {  # reports ENERGY OUT
  local energy=$1 out=$2
  mkdir -p "$out"
  "$energy" demo "$out/demo" --members "$members" --month "$month" --seed 1 > /dev/null
  local c=(--community "$out/demo/community.yaml" --store "sqlite:$out/demo/energy.sqlite")
  for format in table csv json; do
    "$energy" report "${c[@]}" --from "$from" --to "$to" --granularity day --format "$format" > "$out/community-day.$format"
  done
  "$energy" report "${c[@]}" --from "$from" --to "$to" --granularity month --scope meter --format csv > "$out/meter-month.csv"
  "$energy" report "${c[@]}" --from "$month-24" --to "$month-27" --granularity hour --scope meter --format csv > "$out/meter-hour.csv"
  "$energy" report "${c[@]}" --from "$month-25" --to "$month-26" --granularity 15m --format json > "$out/community-15m.json"
}

reports "$old" "$work/old"
reports "$new" "$work/new"
status=0
for file in community-day.table community-day.csv community-day.json meter-month.csv meter-hour.csv community-15m.json; do
  if cmp -s "$work/old/$file" "$work/new/$file"; then
    echo "identical  $file ($(wc -c < "$work/new/$file") bytes)"
  else
    echo "DIFFERENT  $file"
    status=1
  fi
done
exit $status
