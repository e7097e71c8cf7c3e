import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepStaleToolboxDirs } from './toolbox-shell';
import { ToolboxUids } from './toolbox-uids';

describe(sweepStaleToolboxDirs.name, () => {
  it('should remove the homes and kubeconfigs a dead process left and keep those of live ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'netlab-sweep-'));
    const dead = join(root, 'netlab-toolbox-999999999-abc');
    const live = join(root, `netlab-toolbox-${process.ppid}-def`);
    for (const d of [dead, live]) {
      mkdirSync(join(d, 'home', '.kube'), { recursive: true });
      writeFileSync(join(d, 'home', '.kube', 'config'), 'token: secret');
    }
    expect(sweepStaleToolboxDirs(root)).toEqual([dead]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });
});

describe(ToolboxUids.name, () => {
  it('should never hand out a uid twice while it is held, and reuse it once released', () => {
    const sut = new ToolboxUids(5000, 2);
    const [a, b] = [sut.allocate(), sut.allocate()];
    expect([a, b]).toEqual([5000, 5001]);
    expect(() => sut.allocate()).toThrow('no free toolbox uid in 5000–5001');
    sut.release(a);
    expect(sut.allocate()).toBe(5000);
  });
});
