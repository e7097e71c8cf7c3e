#!/usr/bin/env bash
# Builds netlab's own images, pulls every public image the labs use, and (optionally) loads them all
# into kind clusters, so no attempt waits on a registry.
#
#   infra/images/build.sh                      build + pull
#   infra/images/build.sh netlab-a netlab-b    ... and `kind load docker-image` into these clusters
#   infra/images/build.sh --all-clusters       ... into every netlab-* kind cluster
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

need() { command -v "$1" >/dev/null || { echo "error: $1 is not installed. $2" >&2; exit 1; }; }
need docker 'Install Docker: https://docs.docker.com/engine/install/'
# shellcheck disable=SC2016 # the backticks are meant literally
docker info >/dev/null 2>&1 || { echo 'error: no Docker engine answers (`docker info` fails). Start Docker and retry.' >&2; exit 1; }

mapfile -t images < <(node --import tsx infra/images/list-images.ts)
toolbox="${images[0]}"

echo "==> building ${toolbox} (infra/images/toolbox)"
docker build --tag "$toolbox" infra/images/toolbox

for image in "${images[@]:1}"; do
  if docker image inspect "$image" >/dev/null 2>&1; then
    echo "==> ${image}: present"
  else
    echo "==> pulling ${image}"
    docker pull "$image"
  fi
done

clusters=("$@")
if [[ "${1:-}" == "--all-clusters" ]]; then
  mapfile -t clusters < <(kind get clusters 2>/dev/null | grep '^netlab-' || true)
fi
if ((${#clusters[@]})); then
  need kind 'Install kind v0.24+: https://kind.sigs.k8s.io/docs/user/quick-start/#installation'
  for cluster in "${clusters[@]}"; do
    echo "==> loading ${#images[@]} images into kind cluster ${cluster}"
    kind load docker-image "${images[@]}" --name "$cluster"
  done
fi
echo "done: ${images[*]}"
