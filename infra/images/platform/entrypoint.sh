#!/bin/sh
# Joins this container to kind's docker network, so the server reaches every cluster's API at
# https://<cluster>-control-plane:6443 — the address `kind get kubeconfig --internal` prints.
set -eu
net="${NETLAB_KIND_NETWORK:-kind}"
if [ -n "$net" ] && docker info >/dev/null 2>&1; then
  docker network inspect "$net" >/dev/null 2>&1 || docker network create "$net" >/dev/null
  # A container's hostname is its short id unless compose sets one; connecting twice is harmless.
  docker network connect "$net" "$(hostname)" 2>/dev/null || true
else
  echo "netlab: no Docker engine reachable through /var/run/docker.sock; kind clusters will not work" >&2
fi
exec "$@"
