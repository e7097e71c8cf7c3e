import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript (it runs before any TypeScript tooling), no declarations
import { ensureBuilt, markInUse } from '../launcher/compile.js';

const SLOW = 120_000;

describe('ensureBuilt', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** A small workspace: server/src/main.ts imports a module from labs/src that reports its own URL. */
  function workspace(): string {
    const root = mkdtempSync(join(tmpdir(), 'netlab-launcher-'));
    roots.push(root);
    write(root, 'labs/src/where.ts', 'export const where = import.meta.url;\n');
    write(
      root,
      'server/src/main.ts',
      "import { where } from '../../labs/src/where';\nconsole.log(`v1 ${where}`);\n",
    );
    return root;
  }

  function write(root: string, path: string, text: string): void {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  async function build(root: string) {
    const log: string[] = [];
    const dir: string = await ensureBuilt({
      root,
      entries: { main: 'server/src/main.ts' },
      log: (l: string) => log.push(l),
    });
    return {
      dir,
      log,
      run: () => execFileSync(process.execPath, [join(dir, 'main.js')], { encoding: 'utf8' }).trim(),
    };
  }

  it(
    'should compile once with a line of progress, then reuse the build when nothing changed',
    async () => {
      const root = workspace();
      const first = await build(root);
      expect(first.log[0]).toBe('netlab: compiling the server and CLI (first start or sources changed) ...');
      expect(first.log[1]).toMatch(/^netlab: compiled in \d+\.\d s$/);
      // import.meta.url still names the source file, so files next to sources are found from the bundle.
      expect(first.run()).toBe(`v1 file://${join(root, 'labs/src/where.ts')}`);

      const second = await build(root);
      expect(second.log).toEqual([]);
      expect(second.dir).toBe(first.dir);
    },
    SLOW,
  );

  it(
    'should rebuild when a source file changes, and not when only a spec file does',
    async () => {
      const root = workspace();
      const first = await build(root);
      write(root, 'server/src/main.spec.ts', 'export {};\n');
      expect((await build(root)).log).toEqual([]);

      write(root, 'server/src/main.ts', "console.log('v2');\n");
      utimesSync(join(root, 'server/src/main.ts'), new Date(), new Date(Date.now() + 5000));
      const changed = await build(root);
      expect(changed.log[0]).toContain('compiling');
      expect(changed.dir).not.toBe(first.dir);
      expect(changed.run()).toBe('v2');
    },
    SLOW,
  );

  it(
    'should compile once when two starts race on the same sources',
    async () => {
      const root = workspace();
      const [a, b] = await Promise.all([build(root), build(root)]);
      expect(a.dir).toBe(b.dir);
      expect([...a.log, ...b.log].filter((l) => l.includes('compiling'))).toHaveLength(1);
      expect(existsSync(join(a.dir, '.complete'))).toBe(true);
    },
    SLOW,
  );

  it(
    'should keep a build that a running process uses when newer builds prune the old ones',
    async () => {
      const root = workspace();
      const running = await build(root);
      markInUse(running.dir); // this test process plays the server started from the first build
      const versions = [2, 3, 4, 5];
      for (const v of versions) {
        write(root, 'server/src/main.ts', `console.log('v${v}');\n`);
        utimesSync(join(root, 'server/src/main.ts'), new Date(), new Date(Date.now() + v * 5000));
        await build(root);
      }
      expect(existsSync(join(running.dir, 'main.js'))).toBe(true);
      expect(running.run()).toMatch(/^v1 /);
    },
    SLOW,
  );
});
