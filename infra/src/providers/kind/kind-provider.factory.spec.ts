import { describe, expect, it } from 'vitest';
import type { FakeCommandRunner } from '../common/fake-command-runner';
import { createKindProvider } from './kind-provider.factory';
import {
  INTERNAL_KUBECONFIG,
  HOST_KUBECONFIG,
  aSpec,
  fakeHostFacts,
  healthyKindRunner,
} from './testing/kind-fakes';

describe(createKindProvider.name, () => {
  it.each([
    { env: { NETLAB_KIND_INTERNAL_KUBECONFIG: 'true' }, expected: INTERNAL_KUBECONFIG },
    { env: {}, expected: HOST_KUBECONFIG },
  ])(
    'should pick the kubeconfig by NETLAB_KIND_INTERNAL_KUBECONFIG when env is $env',
    async ({ env, expected }) => {
      const runner: FakeCommandRunner = healthyKindRunner();
      const sut = createKindProvider({ runner, host: { facts: fakeHostFacts() } }, env);

      const handle = await sut.create(aSpec());

      expect(handle.kubeconfig).toBe(expected);
    },
  );

  it("should preload the toolbox and the catalog labs' images by default", async () => {
    const runner = healthyKindRunner();
    const sut = createKindProvider({ runner, host: { facts: fakeHostFacts() } }, {});

    await sut.create(aSpec());

    const [load] = runner.callsTo(['kind', 'load', 'docker-image']);
    expect(load?.argv).toEqual(expect.arrayContaining(['netlab/toolbox:0.1.0', 'hashicorp/http-echo:1.0']));
  });
});
