import { describe, expect, it } from 'vitest';
import { ApplyConflictError, fieldSetOf, serverSideApply } from './server-side-apply';

const deployment = (replicas: number, env?: { name: string; value: string }[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    template: { spec: { containers: [{ name: 'web', image: 'nginx', ...(env ? { env } : {}) }] } },
  },
});
const NOW = '2026-01-01T00:00:00Z';

describe(serverSideApply.name, () => {
  it('should record the fields a manager applies, keyed lists by merge key', () => {
    expect(fieldSetOf('Deployment', deployment(1))).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {} } } },
        },
      },
    });
  });

  it('should remove a field the same manager stops applying', () => {
    const first = serverSideApply(
      'Deployment',
      undefined,
      deployment(1, [{ name: 'A', value: '1' }]),
      'kubectl',
      NOW,
    );
    const second = serverSideApply('Deployment', first, deployment(1), 'kubectl', NOW) as ReturnType<
      typeof deployment
    >;
    expect(second.spec.template.spec.containers[0]).toEqual({ name: 'web', image: 'nginx' });
  });

  it('should refuse a different value for a field another applier owns, unless forced', () => {
    const first = serverSideApply('Deployment', undefined, deployment(1), 'a', NOW);
    expect(() => serverSideApply('Deployment', first, deployment(3), 'b', NOW)).toThrow(ApplyConflictError);
    expect(() => serverSideApply('Deployment', first, deployment(3), 'b', NOW)).toThrow(
      'Apply failed with 1 conflict: conflict with "a": .spec.replicas',
    );
    const shared = serverSideApply('Deployment', first, deployment(1), 'b', NOW);
    expect((shared.spec as { replicas: number }).replicas).toBe(1);
    const forced = serverSideApply('Deployment', first, deployment(3), 'b', NOW, true) as ReturnType<
      typeof deployment
    > & {
      metadata: { managedFields: { manager: string; fieldsV1: Record<string, Record<string, unknown>> }[] };
    };
    expect(forced.spec.replicas).toBe(3);
    expect(
      forced.metadata.managedFields.find((m) => m.manager === 'a')!.fieldsV1['f:spec'],
    ).not.toHaveProperty('f:replicas');
  });
});
