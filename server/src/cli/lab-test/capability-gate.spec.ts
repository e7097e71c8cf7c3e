import { createSimProvider, type ClusterProvider, type ClusterSpec } from '@netlab/infra';
import { CATALOG_DIR } from '@netlab/labs';
import { describe, expect, it } from 'vitest';
import { checkUpFront } from './capability-gate';

/** The sim posing as kind: real clusters from the sim, with the calls recorded. */
function kindLike(): ClusterProvider & { created: ClusterSpec[]; deleted: string[] } {
  const sim = createSimProvider();
  const created: ClusterSpec[] = [];
  const deleted: string[] = [];
  return {
    kind: 'kind',
    created,
    deleted,
    create: (spec) => {
      created.push(spec);
      return sim.create(spec);
    },
    delete: async (name) => {
      deleted.push(name);
      await sim.delete(name);
    },
    list: () => sim.list(),
  };
}

describe(checkUpFront.name, () => {
  it('should check a kind run on one throwaway cluster made like the labs, print the report and delete it', async () => {
    const provider = kindLike();
    const lines: string[] = [];
    const sut = await checkUpFront(
      provider,
      [`${CATALOG_DIR}/networkpolicy-blocks-api`],
      {},
      undefined,
      (l) => lines.push(l),
    );

    expect(sut?.ok).toBe(true);
    expect(provider.created).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/^lt-check-cluster-[0-9a-f]{4}$/),
        cni: true,
        networkPolicy: true,
      }),
    ]);
    expect(provider.deleted).toEqual([provider.created[0]!.name]);
    expect(await provider.list()).toEqual([]);
    expect(lines[0]).toBe('Checking what the cluster can do for these labs…');
    expect(lines).toContain(
      '  ✓ the CNI enforces NetworkPolicy: ' + sut!.results.find((r) => r.id === 'network-policy')!.detail,
    );
  }, 120_000);

  it('should not check the sim, which has every capability', async () => {
    const lines: string[] = [];
    const sut = await checkUpFront(
      createSimProvider(),
      [`${CATALOG_DIR}/example-hello`],
      {},
      undefined,
      (l) => lines.push(l),
    );
    expect(sut).toBeUndefined();
    expect(lines).toEqual([]);
  });
});
