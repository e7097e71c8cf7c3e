// Data for the fake server: shaped like the contract (server/docs/api-contract.md), worded like the labs.
import type { Attempt, LabDetail, NetMap } from '../../src/api/types';

export const FAKE_LABS: LabDetail[] = [
  {
    slug: 'svc-selector-mismatch',
    title: 'A Service that selects nothing',
    summary:
      'Clients get "connection refused" from a Service although its Deployment is healthy. The Service\'s label selector matches none of the Pods, so it has no endpoints. Find the mismatch and fix the Service.',
    difficulty: 'beginner',
    estimatedMinutes: 10,
    tags: ['services', 'labels', 'endpoints'],
    curriculum: [
      { exam: 'CKA', domain: 'Troubleshooting', competency: 'Troubleshoot services and networking' },
    ],
    valid: true,
    steps: [
      {
        title: 'The symptom',
        markdown:
          'The `catalog` app in namespace `shop` runs two healthy Pods, yet the client Pod cannot reach it through its Service:\n\n```sh\nkubectl -n shop exec deploy/client -- curl -sS http://catalog/\n```\n\nLook at what the Service forwards to:\n\n```sh\nkubectl -n shop get endpointslices\n```',
      },
      {
        title: 'Fix it',
        markdown:
          "Make the Service select the app's Pods **without** changing the Pods. The checks on the right turn green by themselves once traffic flows.\n\n> A Service forwards to the Pods its `selector` matches — every key and value must be on the Pod.",
      },
    ],
    hints: [
      { index: 0, cost: 5 },
      { index: 1, cost: 10 },
      { index: 2, cost: 25 },
    ],
    checks: [
      {
        id: 'service-has-endpoints',
        title: 'Service catalog has both Pods of the Deployment as ready endpoints',
      },
      { id: 'client-gets-answer', title: "The client Pod gets the app's answer through the Service" },
      { id: 'app-pods-ready', title: "The Deployment's Pods are Ready" },
    ],
  },
  {
    slug: 'networkpolicy-blocks-api',
    title: 'A NetworkPolicy that blocks the frontend',
    summary:
      "The namespace denies all ingress by default and a policy is meant to let the frontend call the API. It does not: the policy opens the Service's port instead of the Pod's.",
    difficulty: 'intermediate',
    estimatedMinutes: 20,
    tags: ['networkpolicy', 'services', 'dns'],
    curriculum: [
      { exam: 'CKA', domain: 'Services & Networking', competency: 'Define and enforce Network Policies' },
    ],
    valid: true,
    steps: [{ title: 'The symptom', markdown: 'The frontend times out calling `http://api/`.' }],
    hints: [{ index: 0, cost: 5 }],
    checks: [{ id: 'frontend-reaches-api', title: "The frontend gets the API's answer through the Service" }],
  },
  {
    slug: 'no-cni',
    title: 'A cluster without a network plugin',
    summary:
      'Every node is NotReady and Pods stay in ContainerCreating. Install the CNI the lab names and watch the nodes come up.',
    difficulty: 'advanced',
    estimatedMinutes: 25,
    tags: ['cni', 'nodes'],
    curriculum: [
      { exam: 'CKA', domain: 'Troubleshooting', competency: 'Troubleshoot clusters, nodes and components' },
    ],
    valid: true,
    steps: [],
    hints: [],
    checks: [],
  },
  {
    slug: 'wrong-targetport',
    title: 'A Service pointing at the wrong port',
    summary:
      'The Service has endpoints, but connections are refused: its targetPort is not the port the container listens on.',
    difficulty: 'beginner',
    estimatedMinutes: 10,
    tags: ['services', 'ports'],
    curriculum: [
      {
        exam: 'CKAD',
        domain: 'Services and Networking',
        competency: 'Provide and troubleshoot access to applications via services',
      },
    ],
    valid: true,
    steps: [],
    hints: [],
    checks: [],
  },
];

export const FAKE_HINTS = [
  'A Service forwards to the Pods its `selector` matches. Compare `kubectl -n shop get endpointslices` with `kubectl -n shop get pods --show-labels`.',
  '`kubectl -n shop describe service catalog` shows the selector. Every key and value must be on the Pod.',
  'The Service asks for `tier=api`; the Pods carry `tier=backend`.',
];

export function failingChecks(slug: string): Attempt['checks'] {
  if (slug === 'networkpolicy-blocks-api') {
    return [
      {
        id: 'frontend-reaches-api',
        title: "The frontend gets the API's answer through the Service",
        status: 'fail',
        evidence: 'curl: (28) Connection timed out after 5001 milliseconds',
        diagnosis:
          'The NetworkPolicy api-allow-frontend allows TCP 80, but after the Service translates api:80 the traffic arrives at the Pod on 8088, which no policy allows.',
        path: [
          { hop: 'source', label: 'frontend-7d9f', ok: true },
          { hop: 'dns', label: 'api.orders.svc', ok: true },
          { hop: 'service', label: 'api:80', ok: true },
          { hop: 'endpoints', label: '2 ready', ok: true },
          {
            hop: 'policy',
            label: 'api-allow-frontend',
            ok: false,
            reason: 'allows TCP 80, the traffic arrives on 8088',
          },
          { hop: 'listener', label: '0.0.0.0:8088', ok: true },
          { hop: 'target', label: 'api-5c6b', ok: true },
        ],
      },
    ];
  }
  return [
    {
      id: 'service-has-endpoints',
      title: 'Service catalog has both Pods of the Deployment as ready endpoints',
      status: 'fail',
      evidence: 'EndpointSlice catalog-x7k2p: 0 endpoints',
      diagnosis:
        'Service shop/catalog selects app=catalog,tier=api but no Pod carries tier=api; the Pods are labelled tier=backend.',
      path: null,
    },
    {
      id: 'client-gets-answer',
      title: "The client Pod gets the app's answer through the Service",
      status: 'fail',
      evidence: 'curl: (7) Failed to connect to catalog port 80: Connection refused',
      diagnosis: 'The Service has no endpoints, so the connection is refused.',
      path: [
        { hop: 'source', label: 'client-5f8c', ok: true },
        { hop: 'dns', label: 'catalog.shop.svc', ok: true },
        { hop: 'service', label: 'catalog:80', ok: true },
        { hop: 'endpoints', label: '0 ready', ok: false, reason: 'the selector tier=api matches no Pod' },
        { hop: 'policy', label: 'none', ok: true },
        { hop: 'listener', label: '0.0.0.0:8086', ok: true },
        { hop: 'target', label: 'catalog-6d4b', ok: true },
      ],
    },
    {
      id: 'app-pods-ready',
      title: "The Deployment's Pods are Ready",
      status: 'pass',
      evidence: '2/2 Pods Ready',
      diagnosis: null,
    },
  ];
}

export function fakeNetMap(fixed: boolean): NetMap {
  const endpoints = fixed
    ? [
        { pod: 'catalog-6d4b-x2', ip: '10.244.1.4', ready: true },
        { pod: 'catalog-6d4b-k9', ip: '10.244.2.3', ready: true },
      ]
    : [];
  return {
    namespaces: ['shop'],
    nodes: [
      {
        name: 'lab-worker',
        pods: [
          {
            namespace: 'shop',
            name: 'catalog-6d4b-x2',
            ip: '10.244.1.4',
            labels: { app: 'catalog', tier: 'backend' },
            ready: true,
          },
          {
            namespace: 'shop',
            name: 'client-5f8c-q1',
            ip: '10.244.1.5',
            labels: { role: 'client' },
            ready: true,
          },
        ],
      },
      {
        name: 'lab-worker2',
        pods: [
          {
            namespace: 'shop',
            name: 'catalog-6d4b-k9',
            ip: '10.244.2.3',
            labels: { app: 'catalog', tier: 'backend' },
            ready: true,
          },
          {
            namespace: 'shop',
            name: 'reports-77aa-z4',
            ip: '10.244.2.4',
            labels: { role: 'reports' },
            ready: true,
          },
        ],
      },
    ],
    services: [
      {
        namespace: 'shop',
        name: 'catalog',
        type: 'ClusterIP',
        clusterIP: '10.96.112.7',
        ports: [{ name: null, port: 80, targetPort: 8086, protocol: 'TCP' }],
        selector: { app: 'catalog', tier: fixed ? 'backend' : 'api' },
        endpoints,
      },
    ],
    policies: [
      {
        namespace: 'shop',
        name: 'reports-deny',
        podSelector: { matchLabels: { role: 'reports' } },
        isolates: ['reports-77aa-z4'],
        policyTypes: ['Ingress'],
      },
    ],
  };
}
