import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCgroups, ToolboxCgroup } from './toolbox-cgroup';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fake /sys/fs/cgroup: `files` relative paths → content. */
function aCgroupFs(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'netlab-cgfs-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe(detectCgroups.name, () => {
  it('should use each v1 hierarchy beneath our own cgroup when the host mounts cgroup v1', () => {
    const root = aCgroupFs({
      'memory/cgroup.procs': '',
      'pids/cgroup.procs': '',
      'cpu,cpuacct/cgroup.procs': '',
    });
    const self = '9:name=systemd:/\n8:pids:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/\n';
    expect(detectCgroups(root, self, true)).toEqual({
      version: 1,
      parents: {
        memory: join(root, 'memory/process_api/abc'),
        pids: join(root, 'pids'),
        cpu: join(root, 'cpu,cpuacct'),
      },
    });
  });

  it('should delegate the controllers below our own cgroup when the host is cgroup v2', () => {
    const root = aCgroupFs({
      'cgroup.controllers': 'cpuset cpu io memory pids',
      'cgroup.subtree_control': '',
    });
    expect(detectCgroups(root, '0::/\n', true)).toEqual({ version: 2, parent: root });
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids +cpu');
  });

  it.each([
    [{ 'cgroup.controllers': 'cpu io' }, '0::/\n', true, 'cgroup v2 lacks the memory, pids controller(s) at'],
    [{ 'memory/cgroup.procs': '' }, '4:memory:/\n', true, 'no cgroup v1 hierarchy with the pids controller'],
    [{ 'memory/cgroup.procs': '' }, '4:memory:/\n', false, 'the server does not run as root'],
  ])('should say why there is no cgroup when the host offers %j', (files, self, root, problem) => {
    const got = detectCgroups(aCgroupFs(files), self, root);
    expect(got.version).toBe(0);
    expect((got as { problem: string }).problem).toContain(problem);
  });
});

const support = detectCgroups();

describe(ToolboxCgroup.name, () => {
  /** A uid no account uses, as the toolbox's are. */
  const uid = 2_099_999;

  it.runIf(support.version !== 0)(
    'should hold the processes it runs to its pids and memory limits when they try to exceed them',
    () => {
      const sut = ToolboxCgroup.create(
        support as never,
        { memoryBytes: 64 << 20, processes: 20, cpuPercent: 50 },
        uid,
      );
      try {
        const run = (argv: string[]) => {
          const [file, ...args] = sut.enter(argv);
          return spawnSync(file!, args, { uid, gid: uid, encoding: 'utf8', timeout: 30_000 });
        };
        // dash gives up at the first refused fork: 20 processes is all the cgroup allows.
        const forks = run(['/bin/sh', '-c', 'for i in $(seq 40); do sleep 2 & done; wait']);
        expect(forks.stderr).toContain('Cannot fork');
        expect(
          readFileSync(
            join(
              sut.dirs.find((d) => existsSync(join(d, 'pids.max')))!,
              'pids.events',
            ),
            'utf8',
          ),
        ).toMatch(/^max [1-9]/);
        // A 256 MiB string, touched as it is built: the kernel's OOM killer ends it at 64 MiB.
        const alloc = run(['/usr/bin/perl', '-e', '$x = "a" x (256 << 20); print length $x']);
        expect(alloc.stdout).toBe('');
        expect(alloc.signal).toBe('SIGKILL');
      } finally {
        for (let i = 0; i < 40 && !sut.remove(); i++) spawnSync('sleep', ['0.1']);
      }
    },
  );
});
