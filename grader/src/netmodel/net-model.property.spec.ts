import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesLabelSelector } from './label-selector';
import { buildNetModel, IndexedNetModel } from './net-model';
import { aCluster, aNamespace, aPod, aPolicy } from './netmodel.factories';
import type { ClusterState, Protocol } from './types';

// Random small clusters and policies over a tiny label alphabet, so selectors often hit.
const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const label = fc.constantFrom('a', 'b', 'c');
const podsArb = fc.array(
  fc.record({
    ns: fc.constantFrom(...NAMESPACES),
    app: label,
    role: fc.option(label, { nil: undefined }),
    // Mostly ordinary pods; some hostNetwork (their IP is the node's) and some without an IP yet.
    kind: fc.constantFrom('pod', 'pod', 'pod', 'pod', 'host', 'pending'),
  }),
  { minLength: 2, maxLength: 7 },
);
const nsLabels = fc.tuple(label, label, label);
const selectorArb = fc.oneof(
  fc.constant({}),
  label.map((app) => ({ matchLabels: { app } })),
  label.map((role) => ({ matchExpressions: [{ key: 'role', operator: 'In', values: [role] }] })),
  fc.constant({ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }),
);
const peerArb = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  label.map((team) => ({ namespaceSelector: { matchLabels: { team } } })),
  fc
    .tuple(selectorArb, label)
    .map(([podSelector, team]) => ({ podSelector, namespaceSelector: { matchLabels: { team } } })),
  fc
    .integer({ min: 1, max: 7 })
    .map((n) => ({ ipBlock: { cidr: '10.244.0.0/24', except: [`10.244.0.${n}/32`] } })),
);
const portArb = fc.oneof(
  fc.constant({ port: 80 }),
  fc.constant({ port: 'http' }),
  fc.constant({ protocol: 'UDP' }),
  fc.constant({ port: 70, endPort: 90 }),
);
const ruleArb = fc.record(
  {
    peers: fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined }),
    ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }),
  },
  { requiredKeys: [] },
);
const policyArb = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb,
  types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
});
type PolicySpec = typeof policyArb extends fc.Arbitrary<infer T> ? T : never;

function toPolicy(p: PolicySpec, i: number): V1NetworkPolicy {
  const rules = (list: typeof p.ingress, field: 'from' | 'to') =>
    list?.map((r) => ({ ...(r.peers ? { [field]: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
  return aPolicy(p.ns, `p${i}`, {
    podSelector: p.podSelector,
    ...(p.types ? { policyTypes: p.types } : {}),
    ...(p.ingress ? { ingress: rules(p.ingress, 'from') } : {}),
    ...(p.egress ? { egress: rules(p.egress, 'to') } : {}),
  });
}

function cluster(
  pods: Array<{ ns: string; app: string; role: string | undefined; kind: string }>,
  teams: [string, string, string],
  policies: V1NetworkPolicy[],
): ClusterState {
  const objects: V1Pod[] = pods.map((p, i) =>
    aPod(
      p.ns,
      `pod-${i}`,
      { app: p.app, ...(p.role ? { role: p.role } : {}) },
      {
        ip: p.kind === 'host' ? '172.18.0.2' : p.kind === 'pending' ? null : `10.244.0.${i + 1}`,
        node: 'node-1',
        hostNetwork: p.kind === 'host',
        ports: [{ name: 'http', containerPort: 80 }],
      },
    ),
  );
  return aCluster({
    namespaces: NAMESPACES.map((n, i) => aNamespace(n, { team: teams[i]! })),
    pods: objects,
    networkPolicies: policies,
  });
}

const queryArb = fc.record({
  port: fc.constantFrom(80, 85, 443),
  protocol: fc.constantFrom<Protocol>('TCP', 'UDP'),
});
const refs = (state: ClusterState) =>
  state.pods.map((p) => ({ namespace: p.metadata!.namespace!, name: p.metadata!.name! }));
const matrixOf = (state: ClusterState, port: number | string, protocol: Protocol) => {
  const model = buildNetModel(state, { listeners: { mode: 'any' } });
  return model.matrix(refs(state), refs(state), port, protocol).verdicts;
};

describe(IndexedNetModel.name, () => {
  it('should never block more traffic when a policy is added to pods already isolated in that direction (policies are additive)', () => {
    fc.assert(
      fc.property(
        podsArb,
        nsLabels,
        fc.array(policyArb, { minLength: 1, maxLength: 4 }),
        policyArb,
        queryArb,
        (pods, teams, policies, extra, q) => {
          const before = buildNetModel(cluster(pods, teams, policies.map(toPolicy)), {
            listeners: { mode: 'any' },
          });
          const after = buildNetModel(cluster(pods, teams, [...policies, extra].map(toPolicy)), {
            listeners: { mode: 'any' },
          });
          for (const src of before.index.pods) {
            for (const dst of before.index.pods) {
              if (src === dst) continue;
              const wasIsolated =
                before.policies.selecting(dst, 'Ingress').length > 0 &&
                before.policies.selecting(src, 'Egress').length > 0;
              if (!wasIsolated) continue;
              const query = { from: { pod: src }, to: { pod: dst }, port: q.port, protocol: q.protocol };
              if (before.reach(query).allowed) expect(after.reach(query).allowed).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should never allow more traffic when a policy is added (a new policy can only isolate or add to isolated pods)', () => {
    fc.assert(
      fc.property(
        podsArb,
        nsLabels,
        fc.array(policyArb, { maxLength: 3 }),
        policyArb,
        queryArb,
        (pods, teams, policies, extra, q) => {
          const before = buildNetModel(cluster(pods, teams, policies.map(toPolicy)), {
            listeners: { mode: 'any' },
          });
          const after = buildNetModel(cluster(pods, teams, [...policies, extra].map(toPolicy)), {
            listeners: { mode: 'any' },
          });
          for (const src of before.index.pods) {
            for (const dst of before.index.pods) {
              const query = { from: { pod: src }, to: { pod: dst }, port: q.port, protocol: q.protocol };
              // Allowed after but blocked before is only possible when the pair was isolated before.
              if (after.reach(query).allowed && !before.reach(query).allowed) {
                const isolated =
                  before.policies.selecting(dst, 'Ingress').length +
                  before.policies.selecting(src, 'Egress').length;
                expect(isolated).toBeGreaterThan(0);
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should give the same verdicts whatever the order of the policies', () => {
    fc.assert(
      fc.property(
        podsArb,
        nsLabels,
        fc.array(policyArb, { maxLength: 4 }),
        queryArb,
        (pods, teams, policies, q) => {
          const list = policies.map(toPolicy);
          expect(matrixOf(cluster(pods, teams, [...list].reverse()), q.port, q.protocol)).toEqual(
            matrixOf(cluster(pods, teams, list), q.port, q.protocol),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should give the same verdict in the truth table as reach() for every pair', () => {
    fc.assert(
      fc.property(
        podsArb,
        nsLabels,
        fc.array(policyArb, { maxLength: 4 }),
        queryArb,
        fc.boolean(),
        (pods, teams, policies, q, enforced) => {
          const state = cluster(pods, teams, policies.map(toPolicy));
          const sut = buildNetModel(state, { policyEnforced: enforced });
          const table = sut.matrix(refs(state), refs(state), q.port, q.protocol).verdicts;
          refs(state).forEach((from, i) =>
            refs(state).forEach((to, j) => {
              expect(table[i]![j]).toBe(
                sut.reach({ from: { pod: from }, to: { pod: to }, port: q.port, protocol: q.protocol })
                  .verdict,
              );
            }),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should allow a pair exactly when egress of the source and ingress of the destination both allow it', () => {
    fc.assert(
      fc.property(
        podsArb,
        nsLabels,
        fc.array(policyArb, { maxLength: 4 }),
        queryArb,
        (pods, teams, policies, q) => {
          const sut = buildNetModel(cluster(pods, teams, policies.map(toPolicy)), {
            listeners: { mode: 'any' },
          });
          // Ordinary running pods only: hostNetwork pods are outside policy, pods without an IP unreachable.
          const ordinary = sut.index.pods.filter((p) => p.running && !p.hostNetwork);
          const port = typeof q.port === 'number' ? q.port : 80;
          for (const src of ordinary) {
            for (const dst of ordinary) {
              const party = { pod: dst, ip: dst.ip!, ipNumber: dst.ipNumber! };
              const both =
                sut.policies.egress(src, party, port, q.protocol).allowed &&
                sut.policies.ingress(
                  dst,
                  { pod: src, ip: src.ip!, ipNumber: src.ipNumber! },
                  port,
                  q.protocol,
                ).allowed;
              expect(
                sut.reach({ from: { pod: src }, to: { pod: dst }, port, protocol: q.protocol }).allowed,
              ).toBe(both);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('NetworkPolicy enforcement', () => {
  it('should connect every pair of running pods that listen when the CNI does not enforce policy', () => {
    fc.assert(
      fc.property(podsArb, nsLabels, fc.array(policyArb, { maxLength: 4 }), (pods, teams, policies) => {
        const state = cluster(pods, teams, policies.map(toPolicy));
        const verdicts = buildNetModel(state, { policyEnforced: false }).matrix(
          refs(state),
          refs(state),
          80,
          'TCP',
        ).verdicts;
        const running = state.pods.map((p) => Boolean(p.status?.podIP));
        verdicts.forEach((row, i) =>
          row.forEach((v, j) => expect(v).toBe(running[i] && running[j] ? 'connected' : 'unreachable')),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('should change nothing when a policy selects no pod', () => {
    fc.assert(
      fc.property(
        podsArb,
        nsLabels,
        fc.array(policyArb, { maxLength: 4 }),
        queryArb,
        (pods, teams, policies, q) => {
          const list = policies.map(toPolicy);
          const nobody = aPolicy('ns-a', 'nobody', {
            podSelector: { matchLabels: { app: 'no-such-app' } },
            policyTypes: ['Ingress', 'Egress'],
          });
          expect(matrixOf(cluster(pods, teams, [...list, nobody]), q.port, q.protocol)).toEqual(
            matrixOf(cluster(pods, teams, list), q.port, q.protocol),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe(matchesLabelSelector.name, () => {
  it('should treat matchLabels k=v exactly as matchExpressions k In (v)', () => {
    const labelsArb = fc.dictionary(fc.constantFrom('app', 'role', 'tier'), label);
    fc.assert(
      fc.property(labelsArb, fc.constantFrom('app', 'role', 'tier'), label, (labels, key, value) => {
        expect(matchesLabelSelector(labels, { matchLabels: { [key]: value } })).toBe(
          matchesLabelSelector(labels, { matchExpressions: [{ key, operator: 'In', values: [value] }] }),
        );
      }),
    );
  });

  it('should make NotIn the complement of In and DoesNotExist the complement of Exists', () => {
    const labelsArb = fc.dictionary(fc.constantFrom('app', 'role'), label);
    fc.assert(
      fc.property(
        labelsArb,
        fc.constantFrom('app', 'role'),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        (labels, key, values) => {
          const m = (operator: string, v?: string[]) =>
            matchesLabelSelector(labels, {
              matchExpressions: [{ key, operator, ...(v ? { values: v } : {}) }],
            });
          expect(m('NotIn', values)).toBe(!m('In', values));
          expect(m('DoesNotExist')).toBe(!m('Exists'));
        },
      ),
    );
  });
});
