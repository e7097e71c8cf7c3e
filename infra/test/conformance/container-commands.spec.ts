import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

const WEB = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: app, image: hashicorp/http-echo:1.0, args: [-text=hello from web], ports: [{containerPort: 5678}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 5678}]
`;

/**
 * A container's command runs through the same shell and tools as `kubectl exec`: what learners
 * type after `kubectl run … --` prints what it would print on kind, and its exit code decides the
 * container's state.
 */
describe('container commands through the emulated shell, seen with kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const status = async (pod: string) => rows((await k('get', 'pod', pod)).stdout)[1]?.[2];

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    await k('apply', '-f', sut.file('web.yaml', WEB));
    expect((await k('wait', '--for=condition=Ready', 'pod/web', '--timeout=60s')).code).toBe(0);
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should print what wget fetched with run --rm -i and delete the pod', async () => {
    const r = await k(
      'run',
      'fetch',
      '--image=busybox:1.36',
      '--restart=Never',
      '--rm',
      '-i',
      '--',
      'wget',
      '-qO-',
      'http://web',
    );
    expect(r.stdout).toContain('hello from web\n');
    expect(r.stdout).toContain('pod "fetch" deleted');
    expect(r.code).toBe(0);
    expect((await k('get', 'pod', 'fetch')).stderr).toContain('NotFound');
  });

  it('should expand $? in a sh -c script, as the real shell does', async () => {
    const r = await k(
      'run',
      'rc',
      '--image=busybox:1.36',
      '--restart=Never',
      '--rm',
      '-i',
      '--',
      'sh',
      '-c',
      'wget -qO- -T 1 http://web:81 >/dev/null 2>&1; echo rc=$?; nslookup web >/dev/null; echo dns=$?',
    );
    expect(r.stdout).toContain('rc=1\n');
    expect(r.stdout).toContain('dns=0\n');
  });

  it('should print output that comes after the attach (run -i on a script that sleeps first)', async () => {
    const r = await k(
      'run',
      'late',
      '--image=busybox:1.36',
      '--restart=Never',
      '--rm',
      '-i',
      '--',
      'sh',
      '-c',
      'sleep 3; echo late line',
    );
    expect(r.stdout).toContain('late line\n');
  });

  it('should end Completed for exit 0 and Error for exit 3, with the exit code in describe', async () => {
    await k('run', 'ok', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo fine');
    await k(
      'run',
      'bad',
      '--image=busybox:1.36',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'echo failing >&2; exit 3',
    );
    await eventually(async () => (await status('ok')) === 'Completed', 'ok Completed', 30_000);
    await eventually(async () => (await status('bad')) === 'Error', 'bad Error', 30_000);
    expect((await k('logs', 'ok')).stdout).toBe('fine\n');
    expect((await k('logs', 'bad')).stdout).toBe('failing\n');
    const describe = (await k('describe', 'pod', 'bad')).stdout;
    expect(describe).toMatch(/State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+3/);
  });

  it('should restart a failing command into CrashLoopBackOff under the default restartPolicy', async () => {
    await k('run', 'crash', '--image=busybox:1.36', '--', 'sh', '-c', 'echo boom; exit 1');
    await eventually(async () => (await status('crash')) === 'CrashLoopBackOff', 'CrashLoopBackOff', 60_000);
    const describe = (await k('describe', 'pod', 'crash')).stdout;
    expect(describe).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(describe).toMatch(/Back-off restarting failed container crash in pod crash_default/);
    expect((await k('logs', 'crash')).stdout).toBe('boom\n');
  });

  it('should serve with busybox httpd what the script wrote', async () => {
    await k(
      'run',
      'site',
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      'mkdir -p /www && echo hello from httpd > /www/index.html && httpd -f -p 8080 -h /www',
    );
    expect((await k('wait', '--for=condition=Ready', 'pod/site', '--timeout=60s')).code).toBe(0);
    const ip = (await k('get', 'pod', 'site', '-o', 'jsonpath={.status.podIP}')).stdout;
    const r = await k('exec', 'web', '--', 'true');
    expect(r.stderr).toContain('executable file not found');
    await k('run', 'probe', '--image=busybox:1.36', '--', 'sleep', '3600');
    expect((await k('wait', '--for=condition=Ready', 'pod/probe', '--timeout=60s')).code).toBe(0);
    const got = await k('exec', 'probe', '--', 'wget', '-qO-', `http://${ip}:8080/`);
    expect(got.stdout).toBe('hello from httpd\n');
    const listening = await k('exec', 'site', '--', 'netstat', '-tln');
    expect(listening.stdout).toMatch(/:::8080|0\.0\.0\.0:8080/);
  });
});
