// Needs a Docker engine and kind v0.24+: run with `npm run test:docker`. Without them every test
// here is registered as skipped (vitest counts it so) and a SKIPPED banner says why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecCommandRunner, RunError } from '../common/command-runner';
import { compareVersions, parseVersion } from '../common/version';
import { WarmPool } from '../../pool/warm-pool';
import { createKindProvider } from './kind-provider.factory';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const runner = new ExecCommandRunner();

/** Why these tests cannot run here, or undefined when they can. */
async function missingPrerequisite(): Promise<string | undefined> {
  try {
    await runner.run(['docker', 'info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
  } catch (err) {
    const why =
      err instanceof RunError && err.failure === 'not-found'
        ? 'the docker CLI is not installed'
        : 'no Docker engine answers (`docker info` failed)';
    return why;
  }
  try {
    const version = parseVersion((await runner.run(['kind', 'version'])).stdout);
    if (!version || compareVersions(version, '0.24.0') < 0)
      return `kind ${version ?? '(unknown version)'} is older than v0.24`;
  } catch {
    return 'kind is not installed';
  }
  return undefined;
}

const skipReason = await missingPrerequisite();
if (skipReason) {
  console.log(
    `\nSKIPPED: kind provider on a real Docker engine — ${skipReason}. These tests were NOT run.\n`,
  );
}
const suite = skipReason ? describe.skip : describe;

suite('KindProvider on a real Docker engine', () => {
  const name = `netlab-e2e-${process.pid}`;
  const provider = createKindProvider({ log: (line) => console.log(line) });
  const scratch = mkdtempSync(join(tmpdir(), 'netlab-kind-e2e-'));
  let before: string[] = [];

  afterAll(async () => {
    await provider.delete(name).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('should build the toolbox and pull every lab image', async () => {
    await runner.run([join(ROOT, 'infra/images/build.sh')], { timeoutMs: 1_200_000 });
    await runner.run(['docker', 'image', 'inspect', 'netlab/toolbox:0.1.0']);
  });

  it('should create a 2-node cluster with kindnet, list it with its labels, reach it and delete it', async () => {
    before = (await provider.list()).map((c) => c.name);
    const handle = await provider.create({
      name,
      nodes: 2,
      cni: true,
      networkPolicy: true,
      labels: { 'netlab.dev/attempt': 'e2e' },
    });
    const kubeconfig = join(scratch, 'kubeconfig');
    writeFileSync(kubeconfig, handle.kubeconfig);

    const nodes = await runner.run(['kubectl', '--kubeconfig', kubeconfig, 'get', 'nodes', '--no-headers']);
    expect(nodes.stdout.trim().split('\n')).toHaveLength(2);
    expect(nodes.stdout).not.toContain('NotReady');
    const toolbox = await runner.run(['docker', 'exec', `${name}-worker`, 'crictl', 'images', '-o', 'json']);
    expect(toolbox.stdout).toContain('netlab/toolbox');
    expect(handle.internalKubeconfig).toContain(`https://${name}-control-plane:6443`);
    expect((await provider.list()).find((c) => c.name === name)?.labels).toEqual({
      'netlab.dev/attempt': 'e2e',
    });

    await provider.delete(name);

    expect((await provider.list()).map((c) => c.name)).not.toContain(name);
  });

  it('should fill a warm pool of one 1-node cluster, hand it out on claim and drain the rest', async () => {
    const pool = new WarmPool({ provider, targets: [{ profile: { nodes: 1, cni: true }, size: 1 }] });
    await pool.start();
    await pool.settled();
    expect(pool.status()[0]).toMatchObject({ warm: 1, creating: 0 });

    const handle = pool.claim({ nodes: 1, cni: true });
    expect(handle).toBeDefined();
    await pool.stop({ drain: true });
    const kubeconfig = join(scratch, 'pool-kubeconfig');
    writeFileSync(kubeconfig, handle!.kubeconfig);
    const nodes = await runner.run(['kubectl', '--kubeconfig', kubeconfig, 'get', 'nodes', '--no-headers']);
    expect(nodes.stdout).toContain(`${handle!.name}-control-plane`);
    await provider.delete(handle!.name);
  });

  it('should pass `netlab lab test --provider kind example-hello` end to end', async () => {
    const result = await runner.run(['npx', 'netlab', 'lab', 'test', '--provider', 'kind', 'example-hello'], {
      timeoutMs: 1_200_000,
    });
    console.log(result.stdout);
  });

  it('should leave no netlab cluster behind', async () => {
    expect((await provider.list()).map((c) => c.name).sort()).toEqual(before.sort());
  });
});
