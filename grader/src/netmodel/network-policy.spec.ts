import { describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { buildNetModel } from './net-model';
import { PolicyEvaluator } from './network-policy.evaluator';
import { aCluster, aNamespace, aPod, aPolicy, aService } from './netmodel.factories';
import type { Destination, NetworkOptions, Protocol, Source, Verdict } from './types';

// One cluster for every row: the docs' example namespaces and roles.
const pods = [
  aPod(
    'default',
    'db',
    { role: 'db' },
    { ip: '10.244.2.10', node: 'node-2', ports: [{ name: 'redis', containerPort: 6379 }] },
  ),
  aPod('default', 'frontend', { role: 'frontend' }, { ip: '10.244.1.11' }),
  aPod('default', 'client', { role: 'client' }, { ip: '10.244.1.12' }),
  aPod('myproject', 'any', { app: 'x' }, { ip: '10.244.1.13' }),
  aPod('alice', 'client', { role: 'client' }, { ip: '10.244.1.14' }),
  aPod('alice', 'server', { role: 'server' }, { ip: '10.244.1.15' }),
  aPod('other', 'client', { role: 'client' }, { ip: '10.244.1.16' }),
  aPod(
    'kube-system',
    'coredns',
    { 'k8s-app': 'kube-dns' },
    { ip: '10.244.0.2', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] },
  ),
  aPod('other', 'node-agent', { app: 'agent' }, { ip: '172.18.0.3', node: 'node-2', hostNetwork: true }),
];
const namespaces = [
  aNamespace('default'),
  aNamespace('myproject', { project: 'myproject' }),
  aNamespace('alice', { user: 'alice' }),
  // As an old dump may show it: without the automatic kubernetes.io/metadata.name label.
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
  aNamespace('kube-system'),
];
const services = [
  aService('default', 'db', { role: 'db' }, [{ port: 6379, targetPort: 'redis' }], {
    clusterIP: '10.96.0.20',
  }),
  aService(
    'kube-system',
    'kube-dns',
    { 'k8s-app': 'kube-dns' },
    [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }],
    {
      clusterIP: '10.96.0.10',
    },
  ),
];

const pod = (ns: string, name: string) => ({ pod: { namespace: ns, name } });
const db = pod('default', 'db');
const frontend = pod('default', 'frontend');
const selectDb = { matchLabels: { role: 'db' } };

interface Row {
  rule: string;
  policies: Array<[string, Record<string, unknown>]>;
  from: Source;
  to?: Destination;
  port?: number;
  protocol?: Protocol;
  options?: NetworkOptions;
  expected: Verdict;
}

// The docs' "test-network-policy" example (namespace default).
const docsExample: Row['policies'] = [
  [
    'test-network-policy',
    {
      podSelector: selectDb,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
            { namespaceSelector: { matchLabels: { project: 'myproject' } } },
            { podSelector: { matchLabels: { role: 'frontend' } } },
          ],
          ports: [{ protocol: 'TCP', port: 6379 }],
        },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
    },
  ],
];
const andPeer = [
  { namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } },
];
const orPeers = [
  { namespaceSelector: { matchLabels: { user: 'alice' } } },
  { podSelector: { matchLabels: { role: 'client' } } },
];
const denyIngress: Row['policies'][number] = [
  'default-deny-ingress',
  { podSelector: {}, policyTypes: ['Ingress'] },
];
const denyEgress: Row['policies'][number] = [
  'default-deny-egress',
  { podSelector: {}, policyTypes: ['Egress'] },
];

const rows: Row[] = [
  {
    rule: 'pods are non-isolated when no policy selects them',
    policies: [],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'default deny ingress isolates every pod of the namespace',
    policies: [denyIngress],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'allow all ingress: one empty rule admits everything',
    policies: [['allow-all-ingress', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] }]],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'default deny egress isolates the source',
    policies: [denyEgress],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'allow all egress overrides deny egress (policies add up)',
    policies: [denyEgress, ['allow-all-egress', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] }]],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'default deny all: Ingress and Egress',
    policies: [['default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]],
    from: pod('other', 'client'),
    expected: 'blocked',
  },
  {
    rule: 'policyTypes defaults to Ingress (+Egress) when egress rules exist: missing ingress denies it',
    policies: [['egress-only-rules', { podSelector: selectDb, egress: [{}] }]],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'policyTypes defaults to Ingress only without egress rules: egress stays open',
    policies: [['ingress-only', { podSelector: { matchLabels: { role: 'frontend' } }, ingress: [] }]],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'an explicit empty egress list does not add Egress to the default policyTypes',
    policies: [
      ['empty-egress', { podSelector: { matchLabels: { role: 'frontend' } }, ingress: [{}], egress: [] }],
    ],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'explicit policyTypes Egress ignores ingress rules (no ingress isolation)',
    policies: [
      [
        'egress-typed',
        {
          podSelector: selectDb,
          policyTypes: ['Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { role: 'none' } } }] }],
        },
      ],
    ],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'docs example: a podSelector peer admits role=frontend on TCP 6379',
    policies: docsExample,
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'docs example: other ports stay closed',
    policies: docsExample,
    from: frontend,
    port: 6380,
    expected: 'blocked',
  },
  {
    rule: 'docs example: a pod selected for TCP only is isolated for UDP',
    policies: docsExample,
    from: frontend,
    protocol: 'UDP',
    expected: 'blocked',
  },
  {
    rule: 'docs example: a namespaceSelector peer admits any pod of project=myproject',
    policies: docsExample,
    from: pod('myproject', 'any'),
    expected: 'connected',
  },
  {
    rule: 'docs example: pods of other namespaces are not admitted',
    policies: docsExample,
    from: pod('other', 'client'),
    expected: 'blocked',
  },
  {
    rule: 'docs example: an IP inside ipBlock.cidr is admitted',
    policies: docsExample,
    from: { ip: '172.17.0.5' },
    expected: 'connected',
  },
  {
    rule: 'docs example: an IP inside ipBlock.except is not',
    policies: docsExample,
    from: { ip: '172.17.1.5' },
    expected: 'blocked',
  },
  {
    rule: 'docs example: egress of db only to 10.0.0.0/24 on 5978',
    policies: docsExample,
    from: db,
    to: { ip: '10.0.0.7' },
    port: 5978,
    expected: 'connected',
  },
  {
    rule: 'docs example: egress of db elsewhere is dropped',
    policies: docsExample,
    from: db,
    to: frontend,
    port: 80,
    options: { listeners: { mode: 'any' } },
    expected: 'blocked',
  },
  {
    rule: 'namespaceSelector AND podSelector in one peer: both must match',
    policies: [['and', { podSelector: selectDb, ingress: [{ from: andPeer }] }]],
    from: pod('alice', 'client'),
    expected: 'connected',
  },
  {
    rule: 'AND peer: right namespace, wrong pod labels',
    policies: [['and', { podSelector: selectDb, ingress: [{ from: andPeer }] }]],
    from: pod('alice', 'server'),
    expected: 'blocked',
  },
  {
    rule: 'AND peer: right pod labels, wrong namespace',
    policies: [['and', { podSelector: selectDb, ingress: [{ from: andPeer }] }]],
    from: pod('default', 'client'),
    expected: 'blocked',
  },
  {
    rule: 'separate peers are OR: any pod of the alice namespace',
    policies: [['or', { podSelector: selectDb, ingress: [{ from: orPeers }] }]],
    from: pod('alice', 'server'),
    expected: 'connected',
  },
  {
    rule: 'separate peers are OR: role=client in the policy namespace',
    policies: [['or', { podSelector: selectDb, ingress: [{ from: orPeers }] }]],
    from: pod('default', 'client'),
    expected: 'connected',
  },
  {
    rule: 'a podSelector-only peer means the policy namespace only',
    policies: [['or', { podSelector: selectDb, ingress: [{ from: orPeers }] }]],
    from: pod('other', 'client'),
    expected: 'blocked',
  },
  {
    rule: 'an empty namespaceSelector selects every namespace',
    policies: [['all-ns', { podSelector: selectDb, ingress: [{ from: [{ namespaceSelector: {} }] }] }]],
    from: pod('other', 'client'),
    expected: 'connected',
  },
  {
    rule: 'an empty podSelector peer selects every pod of the policy namespace only',
    policies: [['same-ns', { podSelector: selectDb, ingress: [{ from: [{ podSelector: {} }] }] }]],
    from: pod('other', 'client'),
    expected: 'blocked',
  },
  {
    rule: 'a namespace is selectable by its automatic kubernetes.io/metadata.name label',
    policies: [
      [
        'by-name',
        {
          podSelector: selectDb,
          ingress: [
            { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }] },
          ],
        },
      ],
    ],
    from: pod('other', 'client'),
    expected: 'connected',
  },
  {
    rule: 'matchExpressions NotIn in a namespaceSelector',
    policies: [
      [
        'not-in',
        {
          podSelector: selectDb,
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchExpressions: [
                      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['other'] },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    ],
    from: pod('other', 'client'),
    expected: 'blocked',
  },
  {
    rule: 'an empty from list admits every source',
    policies: [['empty-from', { podSelector: selectDb, ingress: [{ from: [], ports: [{ port: 6379 }] }] }]],
    from: pod('other', 'client'),
    expected: 'connected',
  },
  {
    rule: 'an empty ports list admits every port',
    policies: [
      ['empty-ports', { podSelector: selectDb, ingress: [{ from: [{ podSelector: {} }], ports: [] }] }],
    ],
    from: frontend,
    port: 1234,
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'an explicit empty ingress list with policyTypes Ingress denies all ingress',
    policies: [['empty-ingress', { podSelector: selectDb, policyTypes: ['Ingress'], ingress: [] }]],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'a named port matches the container port of that name on the destination',
    policies: [['named', { podSelector: selectDb, ingress: [{ ports: [{ port: 'redis' }] }] }]],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'a named port does not match another port number',
    policies: [['named', { podSelector: selectDb, ingress: [{ ports: [{ port: 'redis' }] }] }]],
    from: frontend,
    port: 6380,
    options: { listeners: { mode: 'any' } },
    expected: 'blocked',
  },
  {
    rule: 'a named port of the wrong protocol does not match',
    policies: [
      ['named-udp', { podSelector: selectDb, ingress: [{ ports: [{ port: 'redis', protocol: 'UDP' }] }] }],
    ],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'a named port in an egress rule is resolved on the destination pod',
    policies: [
      denyEgress,
      [
        'egress-named',
        { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'redis' }] }] },
      ],
    ],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'endPort: the first port of the range',
    policies: [['range', { podSelector: selectDb, ingress: [{ ports: [{ port: 32000, endPort: 32768 }] }] }]],
    from: frontend,
    port: 32000,
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'endPort: the last port of the range is included',
    policies: [['range', { podSelector: selectDb, ingress: [{ ports: [{ port: 32000, endPort: 32768 }] }] }]],
    from: frontend,
    port: 32768,
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'endPort: one past the range is not',
    policies: [['range', { podSelector: selectDb, ingress: [{ ports: [{ port: 32000, endPort: 32768 }] }] }]],
    from: frontend,
    port: 32769,
    options: { listeners: { mode: 'any' } },
    expected: 'blocked',
  },
  {
    rule: 'SCTP is matched by an SCTP rule',
    policies: [['sctp', { podSelector: selectDb, ingress: [{ ports: [{ protocol: 'SCTP', port: 6379 }] }] }]],
    from: frontend,
    protocol: 'SCTP',
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'an SCTP rule does not admit TCP',
    policies: [['sctp', { podSelector: selectDb, ingress: [{ ports: [{ protocol: 'SCTP', port: 6379 }] }] }]],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'a protocol without a port admits every port of that protocol',
    policies: [['udp-any', { podSelector: selectDb, ingress: [{ ports: [{ protocol: 'UDP' }] }] }]],
    from: frontend,
    protocol: 'UDP',
    port: 9999,
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'policies are additive: a second policy admits another peer',
    policies: [
      [
        'a',
        {
          podSelector: selectDb,
          ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }],
        },
      ],
      ['b', { podSelector: selectDb, ingress: [{ from: andPeer }] }],
    ],
    from: pod('alice', 'client'),
    expected: 'connected',
  },
  {
    rule: 'default deny plus an allow policy: the allow wins',
    policies: [
      denyIngress,
      [
        'allow-frontend',
        {
          podSelector: selectDb,
          ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }],
        },
      ],
    ],
    from: frontend,
    expected: 'connected',
  },
  {
    rule: 'egress and ingress must both allow: ingress denies',
    policies: [['allow-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }], denyIngress],
    from: frontend,
    expected: 'blocked',
  },
  {
    rule: 'egress ipBlock is matched against the backend pod IP after Service translation',
    policies: [
      [
        'egress-cidr',
        {
          podSelector: { matchLabels: { role: 'frontend' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '10.244.2.0/24' } }] }],
        },
      ],
    ],
    from: frontend,
    to: { service: { namespace: 'default', name: 'db' } },
    expected: 'connected',
  },
  {
    rule: 'egress ipBlock of the ClusterIP range does not match: policies see the pod IP',
    policies: [
      [
        'egress-vip',
        {
          podSelector: { matchLabels: { role: 'frontend' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '10.96.0.0/12' } }] }],
        },
      ],
    ],
    from: frontend,
    to: { service: { namespace: 'default', name: 'db' } },
    expected: 'blocked',
  },
  {
    rule: 'ingress port rules see the targetPort, not the Service port',
    policies: [['svc-port', { podSelector: selectDb, ingress: [{ ports: [{ port: 6379 }] }] }]],
    from: frontend,
    to: { ip: '10.96.0.20' },
    expected: 'connected',
  },
  {
    rule: 'a pod cannot block traffic from its resident node',
    policies: [denyIngress],
    from: { ip: '172.18.0.3' },
    expected: 'connected',
  },
  {
    rule: 'traffic from another node is subject to policy',
    policies: [denyIngress],
    from: { ip: '172.18.0.2' },
    expected: 'blocked',
  },
  {
    rule: 'policies do not apply to hostNetwork pods',
    policies: [['deny-other', { podSelector: {}, policyTypes: ['Ingress'] }]],
    from: frontend,
    to: pod('other', 'node-agent'),
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'a hostNetwork source is seen as its node IP: pod selectors do not match it',
    policies: [
      [
        'from-agent',
        {
          podSelector: selectDb,
          ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'agent' } } }] }],
        },
      ],
    ],
    from: pod('other', 'node-agent'),
    to: pod('alice', 'server'),
    options: { listeners: { mode: 'any' } },
    expected: 'connected',
  },
  {
    rule: 'without an enforcing CNI policies are ignored',
    policies: [denyIngress],
    from: frontend,
    options: { policyEnforced: false },
    expected: 'connected',
  },
  {
    rule: 'egress that blocks DNS makes names fail to resolve',
    policies: [
      denyEgress,
      [
        'allow-db',
        { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: selectDb }] }] },
      ],
    ],
    from: frontend,
    to: { dns: 'db' },
    expected: 'nxdomain',
  },
  {
    rule: 'egress that allows UDP 53 to kube-system lets names resolve',
    policies: [
      denyEgress,
      [
        'allow-dns',
        {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
              ports: [{ protocol: 'UDP', port: 53 }],
            },
            { to: [{ podSelector: selectDb }] },
          ],
        },
      ],
    ],
    from: frontend,
    to: { dns: 'db' },
    expected: 'connected',
  },
];

describe(PolicyEvaluator.name, () => {
  it.each(rows)('should follow "$rule"', (row) => {
    const state = aCluster({
      namespaces: namespaces as never,
      pods,
      services,
      networkPolicies: row.policies.map(([name, spec]) => aPolicy('default', name, spec)),
    });
    const sut = buildNetModel(state, row.options);
    const result = sut.reach({
      from: row.from,
      to: row.to ?? db,
      port: row.port ?? 6379,
      protocol: row.protocol ?? 'TCP',
    });
    expect({ verdict: result.verdict, reason: result.reason }).toMatchObject({ verdict: row.expected });
  });

  it('should name the isolating policy and its rules when traffic is dropped', () => {
    const sut = buildNetModel(
      aCluster({
        namespaces: namespaces as never,
        pods,
        services,
        networkPolicies: docsExample.map(([n, s]) => aPolicy('default', n, s)),
      }),
    );
    const result = sut.reach({ from: pod('other', 'client'), to: db, port: 6379 });
    expect(result.path.at(-1)).toMatchObject({ step: 'ingress-policy', ok: false });
    expect(result.reason).toContain(
      'Pod default/db is isolated for ingress by NetworkPolicy default/test-network-policy',
    );
    expect(result.reason).toContain('any pod in namespaces with project=myproject');
  });

  it('should report an egress block as the egress link when the source is isolated', () => {
    const sut = buildNetModel(
      aCluster({
        namespaces: namespaces as never,
        pods,
        services,
        networkPolicies: [aPolicy('default', denyEgress[0], denyEgress[1])],
      }),
    );
    const result = sut.reach({ from: frontend, to: db, port: 6379 });
    expect(result.path.at(-1)).toMatchObject({ step: 'egress-policy', ok: false });
    expect(result.reason).toContain(
      'Pod default/frontend is isolated for egress by NetworkPolicy default/default-deny-egress',
    );
  });

  it('should say why DNS fails when egress blocks it', () => {
    const sut = buildNetModel(
      aCluster({
        namespaces: namespaces as never,
        pods,
        services,
        networkPolicies: [aPolicy('default', denyEgress[0], denyEgress[1])],
      }),
    );
    const answer = sut.resolve('db', frontend);
    expect(answer.rcode).toBe('SERVFAIL');
    expect(answer.reason).toContain('cannot reach cluster DNS');
  });

  it.each([
    [
      'an unknown selector operator',
      { podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] } },
      /unknown label selector operator "Equals"/,
    ],
    [
      'an invalid CIDR',
      { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      /"10\.0\.0\.0\/33" is not a valid CIDR/,
    ],
    [
      'an except outside the cidr',
      { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }] },
      /is not inside cidr/,
    ],
    [
      'endPort with a named port',
      { ingress: [{ ports: [{ port: 'redis', endPort: 7000 }] }] },
      /cannot be used with the named port/,
    ],
    [
      'endPort below port',
      { ingress: [{ ports: [{ port: 7000, endPort: 6000 }] }] },
      /must be a port between/,
    ],
    [
      'a peer with ipBlock and a selector',
      { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] },
      /cannot be combined/,
    ],
    ['an unknown policy type', { policyTypes: ['Inbound'] }, /"Inbound" is not a policy type/],
  ])('should refuse a policy with %s as INVALID_INPUT naming the field', (_what, spec, message) => {
    const state = aCluster({ pods, networkPolicies: [aPolicy('default', 'bad', spec)] });
    expect(() => buildNetModel(state)).toThrow(
      expect.objectContaining({
        code: GraderErrorCode.INVALID_INPUT,
        message: expect.stringMatching(message),
      }),
    );
  });
});
