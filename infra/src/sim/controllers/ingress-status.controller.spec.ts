import type { V1Ingress } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from '../runtime/context';
import { anIngress, withController } from '../runtime/testing/ingress-harness';
import { IngressStatusController } from './ingress-status.controller';

describe(IngressStatusController.name, () => {
  it('should publish --publish-status-address in the Ingress status once the controller is ready', async () => {
    const { store, sut } = await withController();
    store.create(
      'networking.k8s.io/ingresses',
      anIngress('shop', [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }]),
    );
    await sut.advance(500);

    const ing = as<V1Ingress>(store.get('networking.k8s.io/ingresses', 'default', 'shop')!);

    expect(ing.status?.loadBalancer?.ingress).toEqual([{ hostname: 'localhost' }]);
    const reasons = store
      .list('events', 'default')
      .filter((e) => (e.involvedObject as { name?: string }).name === 'shop')
      .map((e) => `${e.reason as string}: ${e.message as string}`);
    expect(reasons).toContain('Sync: Scheduled for sync');
  });

  it('should not touch the status of an Ingress of another class', async () => {
    const { store, sut } = await withController();
    store.create('networking.k8s.io/ingresses', {
      ...anIngress('other', [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }]),
      metadata: {
        name: 'other',
        namespace: 'default',
        annotations: { 'kubernetes.io/ingress.class': 'traefik' },
      },
    });
    await sut.advance(500);

    const ing = as<V1Ingress>(store.get('networking.k8s.io/ingresses', 'default', 'other')!);

    expect(ing.status?.loadBalancer?.ingress).toBeUndefined();
  });
});
