import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../../src/sim/runtime/container-runtime';
import { FakeRuntime, markRunning } from './fake-runtime';
import { eventually, inPty, startKubectl, startWorld, type KubectlWorld } from './kubectl-harness';

describe('sim exec, attach and logs over the wire with kubectl 1.33', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  const fake = new FakeRuntime(5);
  const k = (...args: string[]) => sut.kubectl(args);

  beforeAll(async () => {
    const runtime = (): ClusterRuntime =>
      Object.assign(fake, { start: () => undefined, stop: async () => undefined });
    sut = await startWorld({ minor: 33, runtime });
    await k('run', 'box', '--image=busybox', '--', 'sleep', '3600');
    markRunning(sut.cluster.store, 'default', 'box');
    const path = sut.file(
      'two.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: two, labels: {app: two}}\nspec:\n  containers: [{name: a, image: busybox}, {name: b, image: busybox}]\n',
    );
    await k('apply', '-f', path);
    markRunning(sut.cluster.store, 'default', 'two');
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should print the output of a one-shot exec and exit 0', async () => {
    const r = await k('exec', 'box', '--', 'echo', 'hello', 'world');
    expect(r).toMatchObject({ code: 0, stdout: 'hello world\n' });
  });

  it('should report a non-zero exit code as kubectl does', async () => {
    const r = await k('exec', 'box', '--', 'fail');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('something went wrong\ncommand terminated with exit code 3\n');
  });

  it('should pass stdin through and end it on EOF', async () => {
    const r = await sut.kubectl(['exec', '-i', 'box', '--', 'cat'], { input: 'line one\nline two\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'line one\nline two\n' });
  });

  it('should run an interactive shell through a PTY with echo, a prompt and the exit code', async () => {
    const r = await inPty(sut, ['exec', '-it', 'box', '--', 'sh'], ['echo typed\r', 'exit 5\r']);
    expect(r.output).toContain('/ # echo typed\r\ntyped\r\n/ # exit 5');
    expect(r.output).toContain('command terminated with exit code 5');
    expect(r.code).toBe(5);
    expect(fake.resizes.length).toBeGreaterThan(0);
  });

  it('should refuse an exec into a container the pod does not have', async () => {
    const r = await k('exec', 'two', '-c', 'nope', '--', 'echo');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('container nope is not valid for pod two');
  });

  it('should refuse an exec into a pod whose container is not running, worded as the kubelet does', async () => {
    await k('run', 'pending', '--image=busybox');
    const r = await k('exec', 'pending', '--', 'echo');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: unable to upgrade connection: container not found ("pending")');
  });

  it('should attach to the main process', async () => {
    const r = await sut.kubectl(['attach', '-i', 'box'], { input: 'echo attached-input\nexit 0\n' });
    expect(r.stdout).toContain('attached to box');
    expect(r.stdout).toContain('attached-input');
  });

  it('should print logs with --tail, -c, --previous and -l', async () => {
    expect((await k('logs', 'box')).stdout).toBe(
      'box line 1\nbox line 2\nbox line 3\nbox line 4\nbox line 5\n',
    );
    expect((await k('logs', 'box', '--tail=2')).stdout).toBe('box line 4\nbox line 5\n');
    expect((await k('logs', 'two', '-c', 'b', '--tail=1')).stdout).toBe('b line 5\n');
    expect((await k('logs', 'box', '--previous', '--tail=1')).stdout).toBe('previous box line 5\n');
    // kubectl fetches the containers' logs in parallel, so their order varies as on a real cluster.
    const byLabel = (await k('logs', '-l', 'app=two', '--all-containers', '--tail=1')).stdout;
    expect(byLabel.trim().split('\n').sort()).toEqual(['a line 5', 'b line 5']);
  });

  it('should follow logs until stopped', async () => {
    const follow = startKubectl(sut, ['logs', '-f', 'box', '--tail=1']);
    await eventually(() => follow.output().includes('box line 5'), 'the first log line');
    await eventually(() => {
      fake.emit('a new line');
      return follow.output().includes('a new line');
    }, 'a followed log line');
    await follow.stop();
    expect(follow.output().startsWith('box line 5\na new line\n')).toBe(true);
  });
});
