import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, runPods, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** A lab's own image, declared with its behaviour (lab.yaml `images`), as a learner meets it. */
describe('declared lab images seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld({
      images: [
        {
          image: 'ghcr.io/acme/shop-api',
          model: 'http-echo',
          cmd: ['-listen=:8080', '-text=shop api v2'],
        },
        { image: 'ghcr.io/acme/tools', model: 'shell', shell: 'ash', tools: ['sleep', 'wget', 'nslookup'] },
      ],
    });
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should pull a declared image at any tag and run its model with the declared CMD', async () => {
    await runPods(sut, [
      ['shop', 'ghcr.io/acme/shop-api:2.1.0'],
      ['tools', 'ghcr.io/acme/tools:1', 'sleep', '3600'],
    ]);
    const ip = (await k('get', 'pod', 'shop', '-o', 'jsonpath={.status.podIP}')).stdout;

    const got = await k('exec', 'tools', '--', 'wget', '-qO-', `http://${ip}:8080/`);

    expect(got.stdout).toBe('shop api v2\n');
  });

  it('should give a declared image only the tools it declares', async () => {
    const r = await k('exec', 'tools', '--', 'sh', '-c', 'curl -s http://shop:8080/');

    expect(r.code).toBe(127);
    expect(r.stderr).toContain('sh: curl: not found');
  });

  it('should still fail to pull an image the lab did not declare', async () => {
    await k('run', 'other', '--image=ghcr.io/acme/other:1');
    let status = '';
    for (let i = 0; i < 60 && !/ErrImagePull|ImagePullBackOff/.test(status); i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = rows((await k('get', 'pod', 'other')).stdout)[1]?.[2] ?? '';
    }
    expect(status).toMatch(/ErrImagePull|ImagePullBackOff/);
  });
});
