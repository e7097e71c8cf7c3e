import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/sim-cluster';
import { aCluster, openExec, until } from './hostile-harness';

describe('a hostile terminal resize', { timeout: 60_000 }, () => {
  let sut: SimCluster;
  const dir = mkdtempSync(join(tmpdir(), 'netlab-resize-'));

  beforeAll(async () => {
    sut = await aCluster('resize', { runtime: undefined, nodes: 1, propagation: 'fast' });
    sut.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'toolbox', namespace: 'default' },
      spec: { containers: [{ name: 'toolbox', image: 'netlab/toolbox:latest' }] },
    });
    await until(() => sut.store.get('pods', 'default', 'toolbox')?.status?.phase === 'Running');
  });
  afterAll(async () => {
    await sut?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should never run a resize value as a command when the size is a string', async () => {
    const marker = join(dir, 'pwned');
    const ws = await openExec(
      sut,
      '/api/v1/namespaces/default/pods/toolbox/exec?command=sleep&command=1&container=toolbox&stdin=true&stdout=true&tty=true',
    );
    const resize = JSON.stringify({ Width: `1; touch ${marker} #`, Height: 24 });
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(resize)]));
    const status = await new Promise<string>((resolve) => {
      ws.on('message', (d: Buffer) => {
        if (d[0] === 3) resolve(d.subarray(1).toString());
      });
    });
    ws.close();
    expect(existsSync(marker)).toBe(false);
    expect(status).toContain('Success');
  });
});
