import { describe, expect, it } from 'vitest';
import { computeEndpoints, computeEndpointSlices, MAX_ENDPOINTS_PER_SLICE } from './endpoint-slices';
import { aNode, aPod, aService } from './netmodel.factories';

const web = (name: string, ip: string, o: Parameters<typeof aPod>[3] = {}) =>
  aPod('shop', name, { app: 'web' }, { ip, ports: [{ name: 'http', containerPort: 8080 }], ...o });
const service = aService('shop', 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]);

describe(computeEndpointSlices.name, () => {
  it('should publish ready pods with the controller labels, owner and resolved port', () => {
    const sut = computeEndpointSlices(
      service,
      [web('web-1', '10.244.1.5', { node: 'node-1' })],
      [aNode('node-1', '172.18.0.2', { 'topology.kubernetes.io/zone': 'z1' })],
    );
    expect(sut).toHaveLength(1);
    const slice = sut[0]!;
    expect(slice.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata?.labels).toMatchObject({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: 'uid-svc-shop-web',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      {
        addresses: ['10.244.1.5'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'node-1',
        zone: 'z1',
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'uid-shop-web-1' },
      },
    ]);
  });

  it.each([
    ['a Ready pod', {}, { ready: true, serving: true, terminating: false }],
    ['a pod that is not Ready', { ready: false }, { ready: false, serving: false, terminating: false }],
    ['a Ready pod being deleted', { deleting: true }, { ready: false, serving: true, terminating: true }],
    [
      'a not-Ready pod being deleted',
      { deleting: true, ready: false },
      { ready: false, serving: false, terminating: true },
    ],
  ])('should set the conditions of %s', (_what, options, conditions) => {
    const [slice] = computeEndpointSlices(service, [web('web-1', '10.244.1.5', options)]);
    expect(slice!.endpoints[0]!.conditions).toEqual(conditions);
  });

  it('should mark every endpoint ready with publishNotReadyAddresses, serving still the Pod readiness', () => {
    const svc = aService('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 8080 }], {
      publishNotReadyAddresses: true,
    });
    const [slice] = computeEndpointSlices(svc, [
      web('web-1', '10.244.1.5', { ready: false, deleting: true }),
    ]);
    expect(slice!.endpoints[0]!.conditions).toEqual({ ready: true, serving: false, terminating: true });
  });

  it.each([
    ['without an IP', { ip: null }],
    ['in phase Failed', { phase: 'Failed' }],
    ['in phase Succeeded', { phase: 'Succeeded' }],
  ])('should leave out a pod %s', (_what, options) => {
    const sut = computeEndpointSlices(service, [web('web-1', '10.244.1.5', options as never)]);
    expect(sut).toHaveLength(1);
    expect(sut[0]!.endpoints).toEqual([]);
  });

  it('should keep one empty placeholder slice when nothing matches', () => {
    const sut = computeEndpointSlices(service, [aPod('shop', 'other', { app: 'api' })]);
    expect(sut).toHaveLength(1);
    expect(sut[0]!.endpoints).toEqual([]);
    expect(sut[0]!.ports).toBeUndefined();
  });

  it('should produce nothing for a Service without a selector', () => {
    expect(
      computeEndpointSlices(aService('shop', 'manual', undefined, [{ port: 80 }]), [
        web('web-1', '10.244.1.5'),
      ]),
    ).toEqual([]);
  });

  it('should produce nothing for an ExternalName Service, even with a selector', () => {
    const svc = aService('shop', 'ext', { app: 'web' }, [{ port: 80 }], {
      type: 'ExternalName',
      externalName: 'example.com',
    });
    expect(computeEndpointSlices(svc, [web('web-1', '10.244.1.5')])).toEqual([]);
    expect(computeEndpoints(svc, [web('web-1', '10.244.1.5')])).toBeUndefined();
  });

  it('should resolve a named targetPort per pod and group pods by their port set', () => {
    const pods = [
      web('web-1', '10.244.1.5'),
      aPod(
        'shop',
        'web-2',
        { app: 'web' },
        { ip: '10.244.1.6', ports: [{ name: 'http', containerPort: 9090 }] },
      ),
      aPod(
        'shop',
        'web-3',
        { app: 'web' },
        { ip: '10.244.1.7', ports: [{ name: 'metrics', containerPort: 9100 }] },
      ),
    ];
    const sut = computeEndpointSlices(service, pods);
    const byPort = sut.map((s) => [
      s.ports?.map((p) => p.port) ?? [],
      s.endpoints.map((e) => e.targetRef?.name),
    ]);
    expect(byPort).toEqual(
      expect.arrayContaining([
        [[8080], ['web-1']],
        [[9090], ['web-2']],
        [[], ['web-3']],
      ]),
    );
  });

  it('should match a named port by protocol too', () => {
    const svc = aService('shop', 'dns', { app: 'web' }, [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
    ]);
    const pod = aPod(
      'shop',
      'web-1',
      { app: 'web' },
      { ip: '10.244.1.5', ports: [{ name: 'dns', containerPort: 5353, protocol: 'TCP' }] },
    );
    expect(computeEndpointSlices(svc, [pod])[0]!.ports).toEqual([]);
  });

  it('should split more than 100 endpoints into several slices', () => {
    const pods = Array.from({ length: 150 }, (_, i) =>
      web(`web-${i}`, `10.244.${Math.floor(i / 200)}.${(i % 200) + 1}`),
    );
    const sut = computeEndpointSlices(service, pods);
    expect(sut.map((s) => s.endpoints.length)).toEqual([MAX_ENDPOINTS_PER_SLICE, 50]);
    expect(new Set(sut.map((s) => s.metadata?.name)).size).toBe(2);
  });

  it('should only select pods of the Service namespace', () => {
    const sut = computeEndpointSlices(service, [
      aPod('other', 'web-1', { app: 'web' }, { ip: '10.244.1.5' }),
    ]);
    expect(sut[0]!.endpoints).toEqual([]);
  });
});

describe(computeEndpoints.name, () => {
  it('should put ready pods in addresses and the others in notReadyAddresses', () => {
    const sut = computeEndpoints(service, [
      web('web-1', '10.244.1.5'),
      web('web-2', '10.244.1.6', { ready: false }),
      web('web-3', '10.244.1.7', { deleting: true }),
    ]);
    expect(sut?.subsets).toEqual([
      {
        addresses: [
          {
            ip: '10.244.1.5',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'uid-shop-web-1' },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.244.1.6',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-2', uid: 'uid-shop-web-2' },
          },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('should be undefined for a Service without a selector', () => {
    expect(computeEndpoints(aService('shop', 'manual', undefined, [{ port: 80 }]), [])).toBeUndefined();
  });
});
