import type { V1Endpoint } from '@kubernetes/client-node';

/**
 * The identity the EndpointSlice reconciler hashes an endpoint by (its addresses, hostname and
 * target Pod): an endpoint whose conditions change keeps its identity, and so its place.
 */
function identity(e: V1Endpoint): string {
  return JSON.stringify([
    e.addresses ?? [],
    e.hostname ?? '',
    e.targetRef?.namespace ?? '',
    e.targetRef?.name ?? '',
  ]);
}

/**
 * Orders a slice's endpoints as the EndpointSlice controller writes them: endpoints already in
 * the Service's slices keep their order (the reconciler walks the existing slices and keeps what is
 * still wanted), and new ones are appended in the order Go's map iteration pops them out of the
 * desired set, which is random (`draw` gives floats in [0, 1)). So a fresh Service lists its
 * endpoints in no particular order, and a rollout appends each new Pod at the end.
 */
export function orderLikeController(
  wanted: V1Endpoint[],
  previous: V1Endpoint[],
  draw: () => number,
): V1Endpoint[] {
  const place = new Map(previous.map((e, i) => [identity(e), i]));
  const kept = wanted
    .filter((e) => place.has(identity(e)))
    .sort((a, b) => place.get(identity(a))! - place.get(identity(b))!);
  const added = wanted.filter((e) => !place.has(identity(e)));
  for (let i = added.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [added[i], added[j]] = [added[j]!, added[i]!];
  }
  return [...kept, ...added];
}
