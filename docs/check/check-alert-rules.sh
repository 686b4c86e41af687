#!/usr/bin/env bash
# `promtool check rules` on the Prometheus alerting rules in docs/deploy/observability. promtool
# comes from Debian's `prometheus` package, installed here when missing (as root, like the other
# tool installs of the build); without root it fails, naming the package. Nothing is skipped.
# (That the rules and the Grafana dashboard name only metrics the server exports is checked by
# the server's ObservabilityEndToEndTest, which scrapes a real server under load.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rules="$here/../deploy/observability/alerts.yaml"

if ! command -v promtool >/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "ERROR: promtool is required: install the Debian package prometheus (sudo apt-get install -y prometheus)" >&2
    exit 1
  fi
  echo "installing the Debian package prometheus (for promtool)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends prometheus >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends prometheus >/dev/null; } \
    || { echo "ERROR: apt-get install prometheus failed" >&2; exit 1; }
fi
promtool check rules "$rules"
