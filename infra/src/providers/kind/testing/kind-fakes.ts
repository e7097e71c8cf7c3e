import type { HostFacts } from '../../common/host-checks';
import { FakeCommandRunner } from '../../common/fake-command-runner';
import type { ClusterSpec } from '../../provider';

/** Kubeconfig kind prints for the host (API on 127.0.0.1). */
export const HOST_KUBECONFIG = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:43121\n';
/** Kubeconfig kind prints with --internal (API on the kind network). */
export const INTERNAL_KUBECONFIG =
  'apiVersion: v1\nclusters:\n- cluster:\n    server: https://netlab-a-control-plane:6443\n';

/** Host facts of a machine that can run kind: kind's inotify minimums and 8 GiB available. */
export function fakeHostFacts(
  over: { watches?: number; instances?: number; memAvailableMiB?: number } = {},
): HostFacts {
  const files: Record<string, string> = {
    '/proc/sys/fs/inotify/max_user_watches': `${over.watches ?? 524288}\n`,
    '/proc/sys/fs/inotify/max_user_instances': `${over.instances ?? 512}\n`,
    '/proc/meminfo': `MemTotal:       25165824 kB\nMemFree:  100 kB\nMemAvailable:   ${(over.memAvailableMiB ?? 8192) * 1024} kB\n`,
  };
  return { readFile: (path) => files[path] };
}

/** A fake runner answering like a healthy Docker host with kind v0.24.0 and no clusters but "other". */
export function healthyKindRunner(): FakeCommandRunner {
  return new FakeCommandRunner()
    .on(['docker', 'info'], { stdout: '27.3.1\n' })
    .on(['kind', 'version'], { stdout: 'kind v0.24.0 go1.22.6 linux/amd64\n' })
    .on(['kind', 'get', 'clusters'], { stdout: 'other\n' })
    .on(['docker', 'volume', 'create'], { stdout: 'netlab-a-owner\n' })
    .on(['kind', 'create', 'cluster'], { stderr: 'Creating cluster "netlab-a" ...\n' })
    .on(['docker', 'exec'], { stdout: 'node/netlab-a-control-plane condition met\n' })
    .on(['docker', 'image', 'inspect'], { stdout: 'sha256:1234\n' })
    .on(['kind', 'load', 'docker-image'])
    .on(['kind', 'get', 'kubeconfig'], (argv) => ({
      stdout: argv.includes('--internal') ? INTERNAL_KUBECONFIG : HOST_KUBECONFIG,
    }))
    .on(['docker', 'ps'], { stdout: '' })
    .on(['docker', 'volume', 'ls'], { stdout: '' })
    .on(['kind', 'delete', 'cluster'], { stderr: 'Deleting cluster "netlab-a" ...\n' })
    .on(['docker', 'volume', 'rm'], { stdout: 'netlab-a-owner\n' });
}

/** A valid spec; override what the test is about. */
export function aSpec(over: Partial<ClusterSpec> = {}): ClusterSpec {
  return { name: 'netlab-a', nodes: 2, cni: true, networkPolicy: true, ...over };
}
