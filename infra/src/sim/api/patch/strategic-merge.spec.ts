import { describe, expect, it } from 'vitest';
import { jsonMergePatch, strategicMerge } from './strategic-merge';

const deployment = {
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', value: '1' }],
          },
          { name: 'side', image: 'busybox' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
  },
  metadata: { finalizers: ['a'] },
};
const containers = (o: unknown) => (o as typeof deployment).spec.template.spec.containers;

describe(strategicMerge.name, () => {
  it('should merge a container by name and keep its other fields when patching the image', () => {
    const sut = strategicMerge('Deployment', deployment, {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    });
    expect(containers(sut)).toEqual([
      { ...deployment.spec.template.spec.containers[0], image: 'nginx:1.26' },
      { name: 'side', image: 'busybox' },
    ]);
  });

  it.each([
    [
      'ports by containerPort',
      { containers: [{ name: 'web', ports: [{ containerPort: 81 }] }] },
      (c: ReturnType<typeof containers>) => c[0]!.ports,
      [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81 }],
    ],
    [
      'env by name',
      {
        containers: [
          {
            name: 'web',
            env: [
              { name: 'A', value: '2' },
              { name: 'B', value: '3' },
            ],
          },
        ],
      },
      (c: ReturnType<typeof containers>) => c[0]!.env,
      [
        { name: 'A', value: '2' },
        { name: 'B', value: '3' },
      ],
    ],
    [
      'a deleted element',
      { containers: [{ name: 'side', $patch: 'delete' }] },
      (c: ReturnType<typeof containers>) => c.map((x) => x.name),
      ['web'],
    ],
    [
      'a replaced list',
      { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] },
      (c: ReturnType<typeof containers>) => c,
      [{ name: 'only', image: 'x' }],
    ],
    [
      'an element order',
      { '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }] },
      (c: ReturnType<typeof containers>) => c.map((x) => x.name),
      ['side', 'web'],
    ],
  ])('should handle %s', (_what, podSpecPatch, pick, expected) => {
    const sut = strategicMerge('Deployment', deployment, { spec: { template: { spec: podSpecPatch } } });
    expect(pick(containers(sut))).toEqual(expected);
  });

  it('should remove a key set to null and honour $retainKeys', () => {
    const sut = strategicMerge('Deployment', deployment, {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    }) as typeof deployment;
    expect(sut.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('should merge finalizers as a set and delete from a primitive list', () => {
    const added = strategicMerge('Deployment', deployment, {
      metadata: { finalizers: ['b', 'a'] },
    }) as typeof deployment;
    expect(added.metadata.finalizers).toEqual(['a', 'b']);
    const removed = strategicMerge('Deployment', added, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
    }) as typeof deployment;
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('should merge Service ports by port', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
    const sut = strategicMerge('Service', svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } });
    expect(sut).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }] } });
  });

  it('should not mutate its input', () => {
    const before = structuredClone(deployment);
    strategicMerge('Deployment', deployment, {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'x' }] } } },
    });
    expect(deployment).toEqual(before);
  });
});

describe(jsonMergePatch.name, () => {
  it('should replace lists and remove nulls as RFC 7386 says', () => {
    const sut = jsonMergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null });
    expect(sut).toEqual({ a: { b: 1, c: [3] } });
  });
});
