import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { EXTERNAL_CLUSTER_LABEL, createSimProvider } from '@netlab/infra';
import { CATALOG_DIR, listLabDirs } from '@netlab/labs';
import { describe, expect, it } from 'vitest';
import { runLabTests } from './lab-test.command';

const run = promisify(execFile);
const NETLAB = new URL('../../../bin/netlab.js', import.meta.url).pathname;

async function netlab(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [NETLAB, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

async function labTest(labs: string[], flags: Parameters<typeof runLabTests>[1]) {
  const lines: string[] = [];
  const code = await runLabTests(labs, flags, (l) => lines.push(l));
  return { code, output: lines.join('\n') };
}

describe('netlab lab test', () => {
  it('should solve every catalog lab on the sim as declared and exit 0', async () => {
    const { code, output } = await labTest([], { provider: 'sim' });
    expect(output).toMatch(/^LAB +RESULT +SEED +BYPASSES +TIME +NOTES$/m);
    for (const dir of listLabDirs()) {
      const id = dir.split('/').at(-1)!;
      expect(output).toMatch(new RegExp(`^${id} +PASS `, 'm'));
    }
    expect(output).toMatch(new RegExp(`^${listLabDirs().length} passed, 0 failed, 0 skipped in `, 'm'));
    expect(code).toBe(0);
  }, 300_000); // the whole catalog (28 labs), on a shared machine

  it('should print each lab whole as it finishes, with how many are done, when labs run at once', async () => {
    const { code, output } = await labTest(['example-hello', 'named-targetport'], {
      provider: 'sim',
      parallel: '2',
    });
    expect(code).toBe(0);
    const ends = output.split('\n').filter((l) => /^✓ \S+: as declared in [\d.]+s {2}\[\d\/2\]$/.test(l));
    expect(ends.map((l) => /\[(\d)\/2\]/.exec(l)![1])).toEqual(['1', '2']);
    // A block starts with its lab's header and ends with its verdict: no lines of the other inside.
    for (const id of ['example-hello', 'named-targetport']) {
      const lines = output.split('\n');
      const start = lines.findIndex((l) => l.startsWith(`▶ ${id} `));
      const end = lines.findIndex((l) => l.startsWith(`✓ ${id}: `));
      expect(lines.slice(start + 1, end).every((l) => l.startsWith('  '))).toBe(true);
    }
  }, 90_000);

  it('should exit 1 and name the deviation when a lab expects a diagnosis it does not get', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'netlab-lt-')), 'wrong-diagnosis');
    cpSync(join(CATALOG_DIR, 'svc-selector-mismatch'), dir, { recursive: true });
    const file = join(dir, 'lab.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        "diagnosisIncludes: 'tier={{ wrongtier }}'",
        "diagnosisIncludes: 'a phrase nobody says'",
      ),
    );
    const { code, output } = await labTest([dir], { provider: 'sim', seed: 'fixed', convergeTimeout: '4s' });
    expect(output).toContain('service-has-endpoints: diagnosis should include "a phrase nobody says"');
    expect(output).toMatch(/^svc-selector-mismatch +FAIL +fixed /m);
    expect(code).toBe(1);
  }, 60_000);

  it('should exit 1 when a bypass is not caught by its guard', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'netlab-lt-')), 'weak-guard');
    cpSync(join(CATALOG_DIR, 'networkpolicy-blocks-api'), dir, { recursive: true });
    const file = join(dir, 'lab.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'caughtBy: [others-stay-blocked]\n',
        'caughtBy: [frontend-dns-works]\n',
      ),
    );
    const { code, output } = await labTest([dir], { provider: 'sim', seed: 'fixed', convergeTimeout: '4s' });
    expect(output).toContain(
      'bypass open-api-to-all caught: frontend-dns-works: should catch the bypass but got pass',
    );
    expect(code).toBe(1);
  }, 60_000);

  it('should run labs in their own namespaces of an existing cluster and skip a lab that needs a fresh one', async () => {
    const sim = createSimProvider();
    const cluster = await sim.create({ name: 'lt-external', nodes: 2, cni: true, networkPolicy: true });
    try {
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'netlab-lt-')), 'kubeconfig');
      writeFileSync(kubeconfig, cluster.kubeconfig);
      const { code, output } = await labTest(['svc-selector-mismatch', 'no-cni'], {
        provider: 'external',
        kubeconfig,
        seed: 'ext',
      });
      expect(output).toContain('Checking what the cluster can do for these labs…');
      expect(output).toContain('  ✓ the CNI enforces NetworkPolicy: a deny-all policy stopped traffic');
      expect(output).toMatch(/^svc-selector-mismatch +PASS +ext +1 /m);
      expect(output).toMatch(/^no-cni +SKIP +ext +0 +\S+ +its fault needs a fresh cluster without a CNI/m);
      expect(output).toMatch(/^1 passed, 0 failed, 1 skipped in /m);
      expect(code).toBe(0);
      const kc = new KubeConfig();
      kc.loadFromString(cluster.kubeconfig);
      const left = await kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector: EXTERNAL_CLUSTER_LABEL });
      expect(left.items.map((n) => n.metadata?.name)).toEqual([]);
    } finally {
      await sim.delete(cluster.name);
    }
  }, 120_000);

  it('should skip a lab whose needs an external cluster lacks, saying why, and exit 1 when nothing could run', async () => {
    const sim = createSimProvider();
    const cluster = await sim.create({ name: 'lt-nopolicy', nodes: 2, cni: true, networkPolicy: false });
    try {
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'netlab-lt-')), 'kubeconfig');
      writeFileSync(kubeconfig, cluster.kubeconfig);
      const { code, output } = await labTest(['networkpolicy-blocks-api'], {
        provider: 'external',
        kubeconfig,
        seed: 'ext',
      });
      expect(output).toMatch(
        /^ {2}✗ the CNI enforces NetworkPolicy: the CNI does not enforce NetworkPolicy/m,
      );
      expect(output).toMatch(
        /^networkpolicy-blocks-api +SKIP +ext +3 +\S+ +the cluster cannot run it: it uses NetworkPolicies, and the CNI does not enforce/m,
      );
      expect(output).toContain('no lab could run on this cluster: see the cluster check above');
      expect(code).toBe(1);
    } finally {
      await sim.delete(cluster.name);
    }
  }, 120_000);

  it.each([
    [['--provider', 'docker'], 'error: --provider "docker" is not one of sim|kind|external'],
    [
      ['--provider', 'external', '--kubeconfig', '/nonexistent'],
      'error: --kubeconfig /nonexistent: no such file',
    ],
    [['--image-map', '/nonexistent.yaml'], 'error: --image-map /nonexistent.yaml: no such file'],
    [
      ['--kubeconfig', '/etc/hostname'],
      'error: --kubeconfig is for --provider external; --provider sim makes its own clusters',
    ],
    [['no-such-lab'], 'error: no lab "no-such-lab": give a lab id from the catalog ('],
    [['--parallel', '0'], 'error: --parallel "0" is not a number of labs from 1 to 32, e.g. --parallel 4'],
    [['--parallel', 'many'], 'error: --parallel "many" is not a number of labs from 1 to 32'],
  ])(
    'should refuse %j with one line naming the problem and exit 2',
    async (args, message) => {
      const { code, stdout } = await netlab('lab', 'test', ...args);
      expect(stdout).toContain(message);
      expect(code).toBe(2);
    },
    30_000,
  );

  it('should print help for the subcommand', async () => {
    const { code, stdout } = await netlab('lab', 'test', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: netlab lab test [options] [lab...]');
    expect(stdout).toContain('--image-map <file>');
    expect(stdout).toContain('--parallel <n>');
  }, 30_000);
});
