import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ContainerStarter } from './container-starter';
import { aPod, aRuntime, podStatusWord } from './testing/runtime-harness';

async function withImage(image: string, extra: Record<string, unknown> = {}) {
  const h = await aRuntime();
  h.store.create('pods', aPod('p', { containers: [{ name: 'c', image, ...extra }] }));
  const pod = () => h.store.get('pods', 'default', 'p') as unknown as V1Pod;
  const events = () =>
    h.store
      .list('events', 'default')
      .filter((e) => (e.involvedObject as { name: string }).name === 'p')
      .sort((a, b) =>
        a.metadata.resourceVersion.localeCompare(b.metadata.resourceVersion, undefined, { numeric: true }),
      )
      .map((e) => `${String(e.type)} ${String(e.reason)} ${String(e.message)}`);
  return { ...h, pod, events };
}

describe(ContainerStarter.name, () => {
  it('should fail a misspelt image with ErrImagePull, then ImagePullBackOff, with containerd wording', async () => {
    const { sut, pod, events } = await withImage('ngnix');
    await sut.advance(500);
    expect(podStatusWord(pod())).toBe('ErrImagePull');
    const denied =
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';
    expect(pod().status?.containerStatuses?.[0]?.state?.waiting).toEqual({
      reason: 'ErrImagePull',
      message: denied,
    });
    await sut.advance(1500);
    expect(podStatusWord(pod())).toBe('ImagePullBackOff');
    expect(events()).toEqual([
      'Normal Scheduled Successfully assigned default/p to lab-worker',
      'Normal Pulling Pulling image "ngnix"',
      `Warning Failed Failed to pull image "ngnix": ${denied}`,
      'Warning Failed Error: ErrImagePull',
      'Normal BackOff Back-off pulling image "ngnix"',
      'Warning Failed Error: ImagePullBackOff',
    ]);
  });

  it('should retry the pull after the back-off, doubling it', async () => {
    const { sut, store, pod } = await withImage('nginx:nope');
    await sut.advance(2000);
    expect(pod().status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
    const pulls = () =>
      store.list('events', 'default').find((e) => e.reason === 'Pulling')?.count as number | undefined;
    expect(pulls() ?? 1).toBe(1);
    await sut.advance(10_000);
    expect(pulls()).toBe(2);
    await sut.advance(15_000);
    expect(pulls()).toBe(2);
    await sut.advance(10_000);
    expect(pulls()).toBe(3);
  });

  it('should say "not found" for a tag the repository does not have', async () => {
    const { sut, pod } = await withImage('nginx:latst');
    await sut.advance(500);
    expect(pod().status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:latst": failed to resolve reference "docker.io/library/nginx:latst": docker.io/library/nginx:latst: not found',
    );
  });

  it('should refuse a reference it cannot parse with InvalidImageName', async () => {
    const { sut, pod, events } = await withImage('Nginx:1.27');
    await sut.advance(500);
    expect(podStatusWord(pod())).toBe('InvalidImageName');
    expect(events()).toContain(
      'Warning InspectFailed Failed to apply default image tag "Nginx:1.27": couldn\'t parse image name "Nginx:1.27": invalid reference format',
    );
  });

  it('should pull digests and tags of catalog images and run them', async () => {
    const digest = `nginx@sha256:${'a'.repeat(64)}`;
    const { sut, pod } = await withImage(digest);
    await sut.advance(2000);
    expect(podStatusWord(pod())).toBe('Running');
    expect(pod().status?.containerStatuses?.[0]?.image).toBe(
      `docker.io/library/nginx@sha256:${'a'.repeat(64)}`,
    );
  });

  it('should not pull with imagePullPolicy Never an image the node does not have', async () => {
    const { sut, pod } = await withImage('nginx:1.27', { imagePullPolicy: 'Never' });
    await sut.advance(2000);
    expect(pod().status?.containerStatuses?.[0]?.state?.waiting).toEqual({
      reason: 'ErrImageNeverPull',
      message: 'Container image "nginx:1.27" is not present with pull policy of Never',
    });
  });

  it('should pull again with imagePullPolicy Always even when the node has the image', async () => {
    const { sut, store } = await withImage('nginx:1.27', { imagePullPolicy: 'Always' });
    await sut.advance(2000);
    store.create(
      'pods',
      aPod('q', {
        nodeName: 'lab-worker',
        containers: [{ name: 'c', image: 'nginx:1.27', imagePullPolicy: 'Always' }],
      }),
    );
    store.create(
      'pods',
      aPod('r', { nodeName: 'lab-worker', containers: [{ name: 'c', image: 'nginx:1.27' }] }),
    );
    await sut.advance(2000);
    const reasons = (pod: string) =>
      store
        .list('events', 'default')
        .filter((e) => (e.involvedObject as { name: string }).name === pod)
        .map((e) => String(e.message));
    expect(reasons('q')).toContain('Pulling image "nginx:1.27"');
    expect(reasons('r')).toContain('Container image "nginx:1.27" already present on machine');
  });
});
