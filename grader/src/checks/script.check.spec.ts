import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckContext } from './check-context';
import { runScriptCheck } from './script.check';
import { LocalScriptRunner } from './script-runner';

const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:6443' }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const scripts = new LocalScriptRunner(kc);
const ctx = { scripts, timeoutMs: 2000 } as unknown as CheckContext;
const check = (command: string) =>
  ({
    id: 's',
    title: 's',
    type: 'script',
    command,
    timeout: '2s',
    retries: 0,
    afterFault: { result: 'pass' },
  }) as const;

afterEach(() => scripts.dispose());

describe(runScriptCheck.name, () => {
  it('should pass when the command exits 0, with its output as evidence', async () => {
    expect(await runScriptCheck(check('echo fine'), ctx)).toEqual({
      status: 'pass',
      evidence: '`echo fine` exited 0: fine',
    });
  });

  it('should fail with the exit code and output when the command fails', async () => {
    const sut = await runScriptCheck(check('echo nope >&2; exit 3'), ctx);
    expect(sut).toMatchObject({ status: 'fail', diagnosis: 'the command exited with 3: nope' });
  });

  it('should point KUBECONFIG at the lab cluster', async () => {
    const sut = await runScriptCheck(check('grep -q "https://127.0.0.1:6443" "$KUBECONFIG"'), ctx);
    expect(sut.status).toBe('pass');
  });

  it('should stop a command that runs past the timeout', async () => {
    const sut = await runScriptCheck(check('sleep 5'), { ...ctx, timeoutMs: 200 });
    expect(sut.status).toBe('fail');
    expect(sut.evidence).toContain('timed out after 200 ms');
  });
});
