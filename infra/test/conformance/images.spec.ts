import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  rows,
  runPods,
  startRuntimeWorld,
  waitReady,
  type KubectlWorld,
} from './kubectl-harness';

/** Image pulls and the image catalog as a learner meets them through kubectl. */
describe('images seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const status = async (pod: string) => rows((await k('get', 'pod', pod)).stdout)[1]?.[2];

  beforeAll(async () => {
    sut = await startRuntimeWorld();
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should show a misspelt image as ErrImagePull then ImagePullBackOff, with the kubelet events', async () => {
    expect((await k('run', 'typo', '--image=ngnix')).stdout).toBe('pod/typo created\n');
    await eventually(async () => (await status('typo')) === 'ImagePullBackOff', 'ImagePullBackOff', 30_000);
    const describe = (await k('describe', 'pod', 'typo')).stdout;
    expect(describe).toMatch(/State:\s+Waiting\n\s+Reason:\s+ImagePullBackOff/);
    expect(describe).toContain('Pulling image "ngnix"');
    expect(describe).toContain(
      'Failed to pull image "ngnix": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
    expect(describe).toContain('Error: ErrImagePull');
    expect(describe).toContain('Back-off pulling image "ngnix"');
    expect(describe).toContain('Error: ImagePullBackOff');
    const fixed = await k('set', 'image', 'pod/typo', 'typo=nginx:1.27');
    expect(fixed.stdout).toBe('pod/typo image updated\n');
  });

  it('should run catalog images with their real behaviour: whoami answers who it is', async () => {
    await k('run', 'whoami', '--image=traefik/whoami:v1.10', '--port=80');
    await runPods(sut, [['shell', 'nicolaka/netshoot:v0.13', 'sleep', 'infinity']]);
    await waitReady(sut, ['whoami']);
    const ip = (await k('get', 'pod', 'whoami', '-o', 'jsonpath={.status.podIP}')).stdout;
    const got = (await k('exec', 'shell', '--', 'curl', '-s', `http://${ip}/`)).stdout;
    expect(got).toContain('Hostname: whoami\r\n');
    expect(got).toContain(`IP: ${ip}\r\n`);
    expect(got).toContain('GET / HTTP/1.1\r\n');
  });

  it('should give each image its own shell and tools: no curl in debian, no shell in http-echo', async () => {
    await runPods(sut, [
      ['deb', 'debian:bookworm', 'sleep', 'infinity'],
      ['echo', 'hashicorp/http-echo:1.0', '/http-echo', '-text=hi'],
    ]);
    const curl = await k('exec', 'deb', '--', 'sh', '-c', 'curl -s http://echo; echo rc=$?');
    expect(curl.stdout).toBe('rc=127\n');
    expect(curl.stderr).toContain('curl: not found');
    const sh = await k('exec', 'echo', '--', 'sh');
    expect(sh.code).toBe(126);
    expect(sh.stderr).toContain('exec: "sh": executable file not found in $PATH');
  });

  it('should crash postgres without a password, with its entrypoint message in the log', async () => {
    await k('run', 'db', '--image=postgres:16');
    await eventually(
      async () => ['Error', 'CrashLoopBackOff'].includes((await status('db')) ?? ''),
      'db failing',
      30_000,
    );
    expect((await k('logs', 'db')).stdout).toContain(
      'Error: Database is uninitialized and superuser password is not specified.',
    );
  });
});
