import { describe, expect, it } from 'vitest';
import { ProviderError, ProviderErrorCode } from '../../errors';
import { fakeHostFacts } from '../kind/testing/kind-fakes';
import { FakeCommandRunner, type FakeReply } from './fake-command-runner';
import {
  DEFAULT_KIND_HOST_REQUIREMENTS,
  assertHostReady,
  checkKindHost,
  type HostFacts,
} from './host-checks';

const REQ = { ...DEFAULT_KIND_HOST_REQUIREMENTS, clusterMemoryBytes: 1536 * 1024 * 1024 };

function runner(docker: FakeReply, kind: FakeReply): FakeCommandRunner {
  return new FakeCommandRunner().on(['docker', 'info'], docker).on(['kind', 'version'], kind);
}

const DOCKER_OK: FakeReply = { stdout: '27.3.1\n' };
const KIND_OK: FakeReply = { stdout: 'kind v0.27.0 go1.23.4 linux/amd64\n' };

describe(checkKindHost.name, () => {
  it('should find no problem and read both versions when the host is ready', async () => {
    const report = await checkKindHost(runner(DOCKER_OK, KIND_OK), REQ, fakeHostFacts());

    expect(report).toEqual({ problems: [], dockerVersion: '27.3.1', kindVersion: '0.27.0' });
  });

  it.each<{
    name: string;
    docker?: FakeReply;
    kind?: FakeReply;
    facts?: HostFacts;
    message: string;
    fix: string;
  }>([
    {
      name: 'the docker CLI is missing',
      docker: { fail: 'not-found' },
      message: 'the docker CLI is not installed',
      fix: 'https://docs.docker.com/engine/install/',
    },
    {
      name: 'no Docker engine answers',
      docker: {
        fail: 'exit',
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      },
      message: 'no Docker engine answers: Cannot connect to the Docker daemon',
      fix: 'sudo systemctl start docker',
    },
    {
      name: 'kind is missing',
      kind: { fail: 'not-found' },
      message: 'kind is not installed',
      fix: 'install kind v0.24.0 or newer',
    },
    {
      name: 'kind is older than v0.24',
      kind: { stdout: 'kind v0.23.0 go1.22.2 linux/amd64' },
      message: 'kind v0.23.0 is too old: netlab needs v0.24.0 or newer',
      fix: 'install a newer kind',
    },
    {
      name: "inotify watches and instances are below kind's minimums",
      facts: fakeHostFacts({ watches: 8192, instances: 128 }),
      message:
        'fs.inotify.max_user_watches is 8192 (needs 524288), fs.inotify.max_user_instances is 128 (needs 512)',
      fix: 'sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512',
    },
    {
      name: 'memory is too low for another cluster',
      facts: fakeHostFacts({ memAvailableMiB: 900 }),
      message: 'too little memory for another cluster: 900 MiB available, a cluster needs about 1536 MiB',
      fix: 'lower the warm pool size',
    },
  ])('should explain the problem and the fix when $name', async ({ docker, kind, facts, message, fix }) => {
    const report = await checkKindHost(
      runner(docker ?? DOCKER_OK, kind ?? KIND_OK),
      REQ,
      facts ?? fakeHostFacts(),
    );

    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.message).toContain(message);
    expect(report.problems[0]?.fix).toContain(fix);
  });

  it('should skip the Linux-only checks when /proc cannot be read', async () => {
    const report = await checkKindHost(runner(DOCKER_OK, KIND_OK), REQ, { readFile: () => undefined });

    expect(report.problems).toEqual([]);
  });

  it('should report every problem at once in one HOST_NOT_READY error', async () => {
    const report = await checkKindHost(
      runner({ fail: 'exit', stderr: 'Cannot connect' }, { fail: 'not-found' }),
      REQ,
      fakeHostFacts({ instances: 128, memAvailableMiB: 100 }),
    );

    const err = (() => {
      try {
        assertHostReady(report);
      } catch (e) {
        return e;
      }
    })();

    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe(ProviderErrorCode.HOST_NOT_READY);
    expect(report.problems.map((p) => p.check)).toEqual(['docker', 'kind', 'inotify', 'memory']);
    expect((err as ProviderError).message.split('\n  fix: ')).toHaveLength(5);
  });
});
