import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { noCniNode, readyNode, runningPod } from '../testing/fake-kube-client';
import { crashLoops, failsReadinessAtRest, stillConverging } from './convergence';

const service = {
  metadata: { namespace: 'shop', name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 as never, protocol: 'TCP' }] },
};
const slice = (ips: string[]): V1EndpointSlice => ({
  metadata: { namespace: 'shop', name: 'web-x', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  ports: [{ port: 8080, protocol: 'TCP' }],
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
});
const web = runningPod('shop', 'web-1', { app: 'web' }, '10.244.0.10');
const pending = (nodeName?: string, reason?: string): V1Pod => ({
  metadata: { namespace: 'shop', name: 'web-2', labels: { app: 'web' } },
  spec: { nodeName, containers: [{ name: 'web' }] },
  status: {
    phase: 'Pending',
    containerStatuses: reason
      ? [
          {
            name: 'web',
            image: '',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason } },
          },
        ]
      : [],
  },
});
const snapshot = (pods: V1Pod[], slices: V1EndpointSlice[], nodes = [readyNode('node-1')]) => ({
  state: { namespaces: [], pods, services: [service], endpointSlices: slices, networkPolicies: [], nodes },
  options: {},
});

describe(stillConverging.name, () => {
  it('should ignore a Service without a selector, whose endpoints are written by hand', () => {
    const state = snapshot([web], [slice(['10.244.0.10'])]);
    state.state.services.push({
      metadata: { namespace: 'default', name: 'kubernetes' },
      spec: { ports: [{ port: 443 }] },
    } as never);
    state.state.endpointSlices.push({
      ...slice(['172.18.0.2']),
      metadata: {
        namespace: 'default',
        name: 'kubernetes',
        labels: { 'kubernetes.io/service-name': 'kubernetes' },
      },
    });
    expect(stillConverging(state)).toEqual([]);
  });

  it.each([
    ['at rest', [web], [slice(['10.244.0.10'])], undefined, []],
    [
      'a pod creating its containers',
      [web, pending('node-1', 'ContainerCreating')],
      [slice(['10.244.0.10'])],
      undefined,
      ['pod shop/web-2 starting'],
    ],
    [
      'a pod that pulls forever',
      [web, pending('node-1', 'ImagePullBackOff')],
      [slice(['10.244.0.10'])],
      undefined,
      [],
    ],
    [
      'a pod on a NotReady node',
      [web, pending('node-1', 'ContainerCreating')],
      [slice(['10.244.0.10'])],
      [noCniNode('node-1')],
      [],
    ],
    ['endpoints behind the pods', [web], [slice([])], undefined, ['Service shop/web endpoints updating']],
    [
      'a terminating pod',
      [{ ...web, metadata: { ...web.metadata, deletionTimestamp: new Date() } }],
      [slice([])],
      undefined,
      ['pod shop/web-1 terminating'],
    ],
  ])('should tell a cluster %s', (_, pods, slices, nodes, expected) => {
    expect(stillConverging(snapshot(pods as V1Pod[], slices, nodes))).toEqual(expected);
  });
});

describe(`${stillConverging.name}: readiness`, () => {
  const probing = (startedAt: string, ready = false): V1Pod => ({
    metadata: { namespace: 'shop', name: 'web-3', labels: { app: 'web' } },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'web', readinessProbe: { httpGet: { path: '/', port: 8080 as never }, periodSeconds: 2 } },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.0.12',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'web',
          image: '',
          imageID: '',
          ready,
          restartCount: 0,
          state: { running: { startedAt: new Date(startedAt) } },
        },
      ],
    },
  });
  const now = Date.parse('2026-01-01T00:00:10Z');

  it.each([
    [
      'its first probe is still to come',
      '2026-01-01T00:00:09Z',
      false,
      ['pod shop/web-3 waiting for its readiness probe'],
    ],
    ['its probe has had its chance and fails', '2026-01-01T00:00:00Z', false, []],
    ['it is Ready', '2026-01-01T00:00:09Z', true, []],
  ])('should say whether a running pod is still converging when %s', (_, startedAt, ready, expected) => {
    const pod = probing(startedAt, ready);
    const slices = [slice(ready ? ['10.244.0.10', '10.244.0.12'] : ['10.244.0.10'])];
    expect(stillConverging(snapshot([web, pod], slices), now)).toEqual(expected);
  });
});

describe(failsReadinessAtRest.name, () => {
  const probed = (startedAgoMs: number, running = true): V1Pod => ({
    metadata: { namespace: 'shop', name: 'web-3' },
    spec: {
      containers: [
        {
          name: 'web',
          readinessProbe: { httpGet: { path: '/healthz', port: 80 as never }, periodSeconds: 2 },
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'web',
          image: '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: running
            ? { running: { startedAt: new Date(NOW - startedAgoMs) } }
            : { waiting: { reason: 'CrashLoopBackOff' } },
        },
      ],
    },
  });
  const NOW = Date.parse('2026-12-02T03:00:00Z');

  it.each([
    [true, 'its probe has had its chance and failed', probed(10_000)],
    [false, 'its probe has not had its first chance yet', probed(500)],
    [false, 'a container is not running (crash loop)', probed(10_000, false)],
    [false, 'it is Ready', { ...web }],
  ])('should answer %s when %s', (expected, _name, pod) => {
    expect(failsReadinessAtRest(pod as V1Pod, NOW)).toBe(expected);
  });
});

describe(crashLoops.name, () => {
  const withState = (state: object): V1Pod => ({
    metadata: { namespace: 'shop', name: 'web-4' },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'a', image: '', imageID: '', ready: false, restartCount: 2, state }],
    },
  });

  it.each([
    [true, 'a container waits in CrashLoopBackOff', withState({ waiting: { reason: 'CrashLoopBackOff' } })],
    [false, 'its containers run', withState({ running: {} })],
    [false, 'a container is still being created', withState({ waiting: { reason: 'ContainerCreating' } })],
  ])('should answer %s when %s', (expected, _name, pod) => {
    expect(crashLoops(pod)).toBe(expected);
  });
});
