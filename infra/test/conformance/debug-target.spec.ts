import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** `kubectl debug --target` shares the target's process namespace, as on kind. */
describe('kubectl debug --target process namespace', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const running = async (container: string) =>
    (
      await k(
        'get',
        'pod',
        'web',
        '-o',
        `jsonpath={.status.ephemeralContainerStatuses[?(@.name=="${container}")].state.running}`,
      )
    ).stdout !== '';

  beforeAll(async () => {
    sut = await startRuntimeWorld({ pods: [['web', 'python:3.12', 'python3', '-m', 'http.server', '8000']] });
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should show the app as PID 1 and owner of its socket with --target', async () => {
    await k('debug', 'web', '--image=busybox:1.36', '--target=web', '-c', 'dbg', '--', 'sleep', '3600');
    await eventually(() => running('dbg'), 'the debug container running', 30_000);
    const netstat = (await k('exec', 'web', '-c', 'dbg', '--', 'netstat', '-tlnp')).stdout;
    expect(netstat).toMatch(/^tcp6\s+0\s+0 :::8000\s+:::\*\s+LISTEN\s+1\/python3$/m);
    const ps = (await k('exec', 'web', '-c', 'dbg', '--', 'ps')).stdout;
    expect(ps).toMatch(/^\s+1 root\s+0:00 python3 -m http\.server 8000$/m);
  });

  it('should not name the owner without --target (separate PID namespaces)', async () => {
    await k('debug', 'web', '--image=busybox:1.36', '-c', 'alone', '--', 'sleep', '3600');
    await eventually(() => running('alone'), 'the second debug container running', 30_000);
    const netstat = (await k('exec', 'web', '-c', 'alone', '--', 'netstat', '-tlnp')).stdout;
    expect(netstat).toMatch(/^tcp6\s+0\s+0 :::8000\s+:::\*\s+LISTEN\s+-$/m);
    const ps = (await k('exec', 'web', '-c', 'alone', '--', 'ps')).stdout;
    expect(ps).toMatch(/^\s+1 root\s+0:00 sleep 3600$/m);
    expect(ps).not.toContain('python3');
  });

  it('should list only eth0 for ip addr show eth0', async () => {
    const out = (await k('exec', 'web', '-c', 'dbg', '--', 'ip', 'addr', 'show', 'eth0')).stdout;
    expect(out).toMatch(/^2: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500/);
    expect(out).not.toContain('lo:');
  });
});
