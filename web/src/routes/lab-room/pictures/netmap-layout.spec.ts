import { describe, expect, it } from 'vitest';
import type { NetMap } from '../../../api/types';
import { layoutNetMap, type PodData } from './netmap-layout';

const map = (): NetMap => ({
  namespaces: ['shop'],
  nodes: [
    {
      name: 'worker',
      pods: [
        { namespace: 'shop', name: 'api-1', ip: '10.244.1.2', labels: { app: 'api' }, ready: true },
        { namespace: 'shop', name: 'client', ip: '10.244.1.3', labels: { role: 'client' }, ready: true },
      ],
    },
    {
      name: 'worker2',
      pods: [{ namespace: 'shop', name: 'api-2', ip: '10.244.2.2', labels: { app: 'api' }, ready: false }],
    },
  ],
  services: [
    {
      namespace: 'shop',
      name: 'api',
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      ports: [{ name: null, port: 80, targetPort: 8080, protocol: 'TCP' }],
      selector: { app: 'api' },
      endpoints: [
        { pod: 'api-1', ip: '10.244.1.2', ready: true },
        { pod: 'api-2', ip: '10.244.2.2', ready: false },
      ],
    },
  ],
  policies: [
    {
      namespace: 'shop',
      name: 'deny-all',
      podSelector: {},
      isolates: ['api-1', 'api-2'],
      policyTypes: ['Ingress'],
    },
  ],
});

describe(layoutNetMap.name, () => {
  it('should frame each Pod inside the node it runs on when laying out', () => {
    const sut = layoutNetMap(map());
    const parent = (id: string) => sut.nodes.find((n) => n.id === id)?.parentId;
    expect(parent('pod:shop/api-1')).toBe('node:worker');
    expect(parent('pod:shop/client')).toBe('node:worker');
    expect(parent('pod:shop/api-2')).toBe('node:worker2');
    // Frames come before their Pods, as React Flow requires.
    const order = sut.nodes.map((n) => n.id);
    expect(order.indexOf('node:worker')).toBeLessThan(order.indexOf('pod:shop/api-1'));
  });

  it('should draw an arrow from the Service to each endpoint Pod and mark not-ready ones', () => {
    const sut = layoutNetMap(map());
    expect(sut.edges.map((e) => [e.target, e.className])).toEqual([
      ['pod:shop/api-1', 'map-edge'],
      ['pod:shop/api-2', 'map-edge map-edge-notready'],
    ]);
  });

  it('should name the policies that isolate a Pod and none for a Pod no policy selects', () => {
    const sut = layoutNetMap(map());
    const data = (id: string) => sut.nodes.find((n) => n.id === id)!.data as PodData;
    expect(data('pod:shop/api-1').isolatedBy).toEqual(['deny-all']);
    expect(data('pod:shop/client').isolatedBy).toEqual([]);
  });

  it('should place every Pod inside its frame when positions are relative to the frame', () => {
    const sut = layoutNetMap(map());
    for (const pod of sut.nodes.filter((n) => n.parentId)) {
      const frame = sut.nodes.find((n) => n.id === pod.parentId)!;
      expect(pod.position.x).toBeGreaterThanOrEqual(0);
      expect(pod.position.y).toBeGreaterThanOrEqual(0);
      expect(pod.position.x + pod.width!).toBeLessThanOrEqual(frame.width!);
      expect(pod.position.y + pod.height!).toBeLessThanOrEqual(frame.height!);
    }
  });
});

describe('layoutNetMap with an empty node', () => {
  it('should leave out a node that runs none of the lab Pods', () => {
    const m = map();
    m.nodes.push({ name: 'control-plane', pods: [] });
    expect(layoutNetMap(m).nodes.map((n) => n.id)).not.toContain('node:control-plane');
  });
});

describe('layoutNetMap with a Service that has no endpoints', () => {
  it('should still place the Service above every node frame', () => {
    const m = map();
    m.services[0]!.endpoints = [];
    const sut = layoutNetMap(m);
    const svc = sut.nodes.find((n) => n.id === 'svc:shop/api')!;
    const frames = sut.nodes.filter((n) => n.type === 'nodeGroup');
    expect(sut.edges).toEqual([]);
    for (const f of frames) expect(svc.position.y + svc.height!).toBeLessThan(f.position.y);
  });
});
