import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createSimProvider } from '@netlab/infra';
import { CATALOG_DIR, loadLabOrThrow } from '@netlab/labs';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLabActionsInParallel } from './parallel-apply';

const provider = createSimProvider();
const names: string[] = [];

describe(applyLabActionsInParallel.name, () => {
  afterAll(async () => {
    for (const name of names) await provider.delete(name);
  });

  it('should fill a later batch with the value a capture read when the setup captures a Pod IP', async () => {
    const lab = loadLabOrThrow(`${CATALOG_DIR}/pod-ip-changes`, { seed: 'parallel-apply' });
    const cluster = await provider.create({ name: 'pa-capture', nodes: 2, cni: true, networkPolicy: true });
    names.push(cluster.name);
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);

    const changes = await applyLabActionsInParallel(kc, lab, lab.definition.setup, cluster.name, {});

    const ns = String(lab.parameters.ns);
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({
      namespace: ns,
      labelSelector: `app=${lab.parameters.app}`,
    });
    const ip = pods.items[0]!.status!.podIP!;
    expect(changes).toContainEqual({ verb: 'captured', object: `podIP = ${ip}` });
    const client = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ namespace: ns, name: 'client' });
    expect(client.spec!.template.spec!.containers[0]!.env).toEqual([
      { name: 'BACKEND_URL', value: `http://${ip}:${lab.parameters.port}/` },
    ]);
  }, 60_000);
});
