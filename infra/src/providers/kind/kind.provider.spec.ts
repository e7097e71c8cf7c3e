import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProviderError, ProviderErrorCode } from '../../errors';
import { RunError } from '../common/command-runner';
import { hangUntilAborted, type FakeCommandRunner } from '../common/fake-command-runner';
import { KindProvider, type KindProviderOptions } from './kind.provider';
import {
  HOST_KUBECONFIG,
  INTERNAL_KUBECONFIG,
  aSpec,
  fakeHostFacts,
  healthyKindRunner,
} from './testing/kind-fakes';

const NOW = new Date('2026-11-21T20:00:00.000Z');

function newProvider(runner: FakeCommandRunner, over: KindProviderOptions = {}): KindProvider {
  return new KindProvider({
    runner,
    images: ['netlab/toolbox:0.1.0', 'hashicorp/http-echo:1.0'],
    host: { facts: fakeHostFacts() },
    scratchDir: '/scratch',
    clock: () => NOW,
    ...over,
  });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const DELETE_ARGV = [
  ['kind', 'delete', 'cluster', '--name', 'netlab-a'],
  ['docker', 'volume', 'rm', '--force', 'netlab-a-owner'],
];

describe(KindProvider.name, () => {
  describe('create', () => {
    it('should run host checks, record ownership, create, wait, load images and read both kubeconfigs, in that order', async () => {
      const runner = healthyKindRunner();
      const sut = newProvider(runner);

      const handle = await sut.create(aSpec({ labels: { 'netlab.dev/attempt': 'att-1' } }));

      expect(runner.argvs).toEqual([
        ['docker', 'info', '--format', '{{.ServerVersion}}'],
        ['kind', 'version'],
        ['kind', 'get', 'clusters'],
        [
          'docker',
          'volume',
          'create',
          '--label',
          'netlab.dev/owner=netlab',
          '--label',
          'netlab.dev/cluster=netlab-a',
          '--label',
          'netlab.dev/created-at=2026-11-21T20:00:00.000Z',
          '--label',
          'netlab.dev/attempt=att-1',
          'netlab-a-owner',
        ],
        [
          'kind',
          'create',
          'cluster',
          '--name',
          'netlab-a',
          '--config',
          '-',
          '--kubeconfig',
          '/scratch/netlab-a.kubeconfig',
        ],
        [
          'docker',
          'exec',
          'netlab-a-control-plane',
          'kubectl',
          '--kubeconfig=/etc/kubernetes/admin.conf',
          'wait',
          '--for=condition=Ready',
          'nodes',
          '--all',
          '--timeout=180s',
        ],
        ['docker', 'image', 'inspect', '--format', '{{.Id}}', 'netlab/toolbox:0.1.0'],
        ['docker', 'image', 'inspect', '--format', '{{.Id}}', 'hashicorp/http-echo:1.0'],
        [
          'kind',
          'load',
          'docker-image',
          'netlab/toolbox:0.1.0',
          'hashicorp/http-echo:1.0',
          '--name',
          'netlab-a',
        ],
        ['kind', 'get', 'kubeconfig', '--name', 'netlab-a'],
        ['kind', 'get', 'kubeconfig', '--name', 'netlab-a', '--internal'],
      ]);
      expect(handle).toEqual({
        name: 'netlab-a',
        provider: 'kind',
        kubeconfig: HOST_KUBECONFIG,
        internalKubeconfig: INTERNAL_KUBECONFIG,
        createdAt: NOW,
        spec: aSpec({ labels: { 'netlab.dev/attempt': 'att-1' } }),
      });
    });

    it('should prefix netlab- and shorten a long name with a hash when the spec name lacks the prefix', async () => {
      const runner = healthyKindRunner();
      const sut = newProvider(runner, { images: [] });

      const short = await sut.create(aSpec({ name: 'lt-example-hello-main-ab12' }));
      const long = await sut.create(aSpec({ name: 'lt-networkpolicy-blocks-api-bypass-egress-no-dns-ab12' }));

      expect(short.name).toBe('netlab-lt-example-hello-main-ab12');
      expect(long.name).toMatch(/^netlab-lt-networkpolicy-blocks-api-bypass-[0-9a-f]{6}$/);
      expect(long.name.length).toBeLessThanOrEqual(49);
      expect(long.spec.name).toBe('lt-networkpolicy-blocks-api-bypass-egress-no-dns-ab12');
      expect(runner.callsTo(['kind', 'create', 'cluster']).map((c) => c.argv[4])).toEqual([
        short.name,
        long.name,
      ]);
      await sut.delete(long.spec.name);
      await sut.delete(long.name);
      expect(runner.callsTo(['kind', 'delete']).map((c) => c.argv[4])).toEqual([long.name, long.name]);
    });

    it('should hand out the internal kubeconfig as the kubeconfig when the caller runs on the kind network', async () => {
      const handle = await newProvider(healthyKindRunner(), { internalAddress: true }).create(aSpec());

      expect(handle.kubeconfig).toBe(INTERNAL_KUBECONFIG);
      expect(handle.internalKubeconfig).toBe(INTERNAL_KUBECONFIG);
    });

    it('should feed kind this exact config on stdin when the profile is 2 nodes with the default CNI', async () => {
      const runner = healthyKindRunner();

      await newProvider(runner).create(aSpec({ labels: { 'netlab.dev/profile': '2n-cni' } }));

      const [call] = runner.callsTo(['kind', 'create', 'cluster']);
      expect(call?.options.stdin).toBe(
        [
          'kind: Cluster',
          'apiVersion: kind.x-k8s.io/v1alpha4',
          'name: netlab-a',
          'nodes:',
          '  - role: control-plane',
          '    labels:',
          '      netlab.dev/owner: netlab',
          '      netlab.dev/profile: 2n-cni',
          '  - role: worker',
          '    labels:',
          '      netlab.dev/owner: netlab',
          '      netlab.dev/profile: 2n-cni',
          'networking:',
          '  disableDefaultCNI: false',
          '  podSubnet: 10.244.0.0/16',
          '  serviceSubnet: 10.96.0.0/16',
          '',
        ].join('\n'),
      );
    });

    it.each([
      { profile: '1 node, CNI', nodes: 1, cni: true, roles: ['control-plane'] },
      { profile: '2 nodes, CNI', nodes: 2, cni: true, roles: ['control-plane', 'worker'] },
      { profile: '3 nodes, no CNI', nodes: 3, cni: false, roles: ['control-plane', 'worker', 'worker'] },
      { profile: '1 node, no CNI', nodes: 1, cni: false, roles: ['control-plane'] },
    ])(
      'should generate one node per role and disableDefaultCNI = !cni when the profile is $profile',
      async ({ nodes, cni, roles }) => {
        const runner = healthyKindRunner();

        await newProvider(runner).create(aSpec({ nodes, cni }));

        const config = parse(runner.callsTo(['kind', 'create', 'cluster'])[0]?.options.stdin ?? '');
        expect(config).toEqual({
          kind: 'Cluster',
          apiVersion: 'kind.x-k8s.io/v1alpha4',
          name: 'netlab-a',
          nodes: roles.map((role) => ({ role, labels: { 'netlab.dev/owner': 'netlab' } })),
          networking: { disableDefaultCNI: !cni, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' },
        });
        // Without a CNI the nodes never become Ready on their own, so create must not wait for them.
        expect(runner.callsTo(['docker', 'exec'])).toHaveLength(cni ? 1 : 0);
      },
    );

    it('should put the node image and custom subnets into the config when they are configured', async () => {
      const runner = healthyKindRunner();
      const sut = newProvider(runner, {
        config: {
          nodeImage: 'kindest/node:v1.31.2',
          podSubnet: '192.168.0.0/16',
          serviceSubnet: '10.100.0.0/16',
        },
      });

      await sut.create(aSpec({ nodes: 1, cni: false }));

      const config = parse(runner.callsTo(['kind', 'create', 'cluster'])[0]?.options.stdin ?? '');
      expect(config.nodes).toEqual([
        { role: 'control-plane', image: 'kindest/node:v1.31.2', labels: { 'netlab.dev/owner': 'netlab' } },
      ]);
      expect(config.networking).toEqual({
        disableDefaultCNI: true,
        podSubnet: '192.168.0.0/16',
        serviceSubnet: '10.100.0.0/16',
      });
    });

    it('should report every problem of a bad spec at once and run nothing when the spec is invalid', async () => {
      const runner = healthyKindRunner();

      const err = await failure(
        newProvider(runner).create(
          aSpec({
            name: 'Lab_1',
            nodes: 9,
            cni: true,
            networkPolicy: false,
            labels: { 'bad key!': 'x', ok: 'has space' },
          }),
        ),
      );

      expect(err.code).toBe(ProviderErrorCode.INVALID_SPEC);
      expect(err.message).toContain('name "Lab_1" must use only lowercase letters, digits and "-"');
      expect(err.message).toContain('nodes 9 must be a whole number from 1 to 5');
      expect(err.message).toContain('kindnet, which always enforces NetworkPolicy');
      expect(err.message).toContain('label key "bad key!" is not a valid Kubernetes label key');
      expect(err.message).toContain('label "ok" value "has space"');
      expect(runner.calls).toEqual([]);
    });

    it('should refuse the name and delete nothing when a cluster of that name exists', async () => {
      const runner = healthyKindRunner().on(['kind', 'get', 'clusters'], { stdout: 'netlab-a\nother\n' });

      const err = await failure(newProvider(runner).create(aSpec()));

      expect(err.code).toBe(ProviderErrorCode.CLUSTER_EXISTS);
      expect(err.message).toContain('kind delete cluster --name netlab-a');
      expect(runner.callsTo(['kind', 'create'])).toEqual([]);
      expect(runner.callsTo(['kind', 'delete'])).toEqual([]);
    });

    it('should refuse a second create of a name whose first create is still running, leaving the first alone', async () => {
      let release: () => void = () => undefined;
      const runner = healthyKindRunner().once(
        ['kind', 'create', 'cluster'],
        () => new Promise((resolve) => (release = () => resolve({}))),
      );
      const sut = newProvider(runner);
      const first = sut.create(aSpec());
      await new Promise((r) => setImmediate(r));

      const err = await failure(sut.create(aSpec()));
      release();

      expect(err.code).toBe(ProviderErrorCode.CLUSTER_EXISTS);
      expect((await first).name).toBe('netlab-a');
      expect(runner.callsTo(['kind', 'delete'])).toEqual([]);
    });

    it('should not roll back a cluster another process created under the same name meanwhile', async () => {
      const runner = healthyKindRunner().on(['kind', 'create', 'cluster'], {
        fail: 'exit',
        stderr:
          'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "netlab-a"',
      });

      const err = await failure(newProvider(runner).create(aSpec()));

      expect(err.code).toBe(ProviderErrorCode.CLUSTER_EXISTS);
      expect(runner.callsTo(['kind', 'delete'])).toEqual([]);
      expect(runner.callsTo(['docker', 'volume', 'rm'])).toEqual([]);
    });

    it('should stop before creating anything when the host is not ready', async () => {
      const runner = healthyKindRunner().on(['kind', 'version'], {
        stdout: 'kind v0.23.0 go1.22 linux/amd64',
      });

      const err = await failure(newProvider(runner).create(aSpec()));

      expect(err.code).toBe(ProviderErrorCode.HOST_NOT_READY);
      expect(err.message).toContain('kind v0.23.0 is too old');
      expect(runner.callsTo(['docker', 'volume'])).toEqual([]);
      expect(runner.callsTo(['kind', 'create'])).toEqual([]);
    });

    it.each([
      { step: 'record ownership', prefix: ['docker', 'volume', 'create'] },
      { step: 'create cluster', prefix: ['kind', 'create', 'cluster'] },
      { step: 'wait for nodes', prefix: ['docker', 'exec'] },
      { step: 'load images', prefix: ['kind', 'load', 'docker-image'] },
      { step: 'read kubeconfig', prefix: ['kind', 'get', 'kubeconfig'] },
    ])(
      'should delete the half-made cluster and keep argv, exit code and output when step $step fails',
      async ({ step, prefix }) => {
        const runner = healthyKindRunner().on(prefix, {
          fail: 'exit',
          exitCode: 7,
          stderr: 'ERROR: boom in the middle',
        });

        const err = await failure(newProvider(runner).create(aSpec()));

        expect(err.code).toBe(ProviderErrorCode.CREATE_FAILED);
        expect(err.message).toContain(`creating kind cluster "netlab-a" failed at step "${step}"`);
        expect(err.message).toContain('exited with code 7: ERROR: boom in the middle');
        expect(err.message).toContain('the half-made cluster was deleted');
        expect(err.cause).toBeInstanceOf(RunError);
        expect((err.cause as RunError).argv.slice(0, prefix.length)).toEqual(prefix);
        expect((err.cause as RunError).exitCode).toBe(7);
        expect(runner.argvs.slice(-2)).toEqual(DELETE_ARGV);
      },
    );

    it('should say how to remove the leftover cluster when deleting the half-made cluster fails too', async () => {
      const runner = healthyKindRunner()
        .on(['kind', 'create', 'cluster'], {
          fail: 'exit',
          exitCode: 1,
          stderr: 'ERROR: failed to create cluster',
        })
        .on(['kind', 'delete', 'cluster'], {
          fail: 'exit',
          exitCode: 1,
          stderr: 'Cannot connect to the Docker daemon',
        });

      const err = await failure(newProvider(runner).create(aSpec()));

      expect(err.code).toBe(ProviderErrorCode.CREATE_FAILED);
      expect(err.message).toContain('deleting the half-made cluster failed too');
      expect(err.message).toContain('remove it with `kind delete cluster --name netlab-a`');
    });

    it('should kill the running command, delete the cluster and report TIMEOUT when create runs past its time limit', async () => {
      const runner = healthyKindRunner().on(['kind', 'create', 'cluster'], hangUntilAborted());

      const err = await failure(newProvider(runner, { createTimeoutMs: 20 }).create(aSpec()));

      expect(err.code).toBe(ProviderErrorCode.TIMEOUT);
      expect(err.message).toContain('took longer than 0.02 s at step "create cluster"');
      expect(runner.callsTo(['kind', 'create', 'cluster'])[0]?.options.signal?.aborted).toBe(true);
      expect(runner.argvs.slice(-2)).toEqual(DELETE_ARGV);
    });

    it('should delete the cluster and report CANCELLED when the caller aborts mid-create', async () => {
      const caller = new AbortController();
      const runner = healthyKindRunner().on(['kind', 'load', 'docker-image'], (argv, options) => {
        caller.abort();
        return hangUntilAborted()(argv, options);
      });

      const err = await failure(newProvider(runner).create(aSpec(), caller.signal));

      expect(err.code).toBe(ProviderErrorCode.CANCELLED);
      expect(err.message).toContain('was cancelled at step "load images"');
      expect(runner.argvs.slice(-2)).toEqual(DELETE_ARGV);
    });

    it('should create nothing and report CANCELLED when the signal is already aborted', async () => {
      const runner = healthyKindRunner();

      const err = await failure(newProvider(runner).create(aSpec(), AbortSignal.abort()));

      expect(err.code).toBe(ProviderErrorCode.CANCELLED);
      expect(runner.callsTo(['kind', 'create'])).toEqual([]);
      expect(runner.callsTo(['docker', 'volume', 'create'])).toEqual([]);
    });

    it('should pull a missing image once and tell how to build it when the pull fails', async () => {
      const runner = healthyKindRunner()
        .on(['docker', 'image', 'inspect', '--format', '{{.Id}}', 'hashicorp/http-echo:1.0'], {
          fail: 'exit',
          stderr: 'Error: No such image: hashicorp/http-echo:1.0',
        })
        .once(['docker', 'pull', 'hashicorp/http-echo:1.0'], { stdout: 'Status: Downloaded newer image' });
      const sut = newProvider(runner);

      await sut.create(aSpec({ name: 'netlab-a' }));
      await sut.create(aSpec({ name: 'netlab-b' }));

      expect(runner.callsTo(['docker', 'pull'])).toHaveLength(1);
      expect(runner.callsTo(['docker', 'image', 'inspect'])).toHaveLength(2);

      const offline = healthyKindRunner()
        .on(['docker', 'image', 'inspect'], {
          fail: 'exit',
          stderr: 'Error: No such image: netlab/toolbox:0.1.0',
        })
        .on(['docker', 'pull'], { fail: 'exit', stderr: 'pull access denied for netlab/toolbox' });
      const err = await failure(newProvider(offline).create(aSpec()));
      expect(err.message).toContain('image netlab/toolbox:0.1.0 is not on this host');
      expect(err.message).toContain('infra/images/build.sh');
      expect(offline.argvs.slice(-2)).toEqual(DELETE_ARGV);
    });

    it('should load nothing when no images are configured', async () => {
      const runner = healthyKindRunner();

      await newProvider(runner, { images: [] }).create(aSpec());

      expect(runner.callsTo(['kind', 'load'])).toEqual([]);
      expect(runner.callsTo(['docker', 'image'])).toEqual([]);
    });
  });

  describe('delete', () => {
    it('should delete the kind cluster, then its ownership record', async () => {
      const runner = healthyKindRunner();

      await newProvider(runner).delete('netlab-a');

      expect(runner.argvs).toEqual(DELETE_ARGV);
    });

    it('should never reach a cluster netlab does not own: "kind" means netlab-kind', async () => {
      const runner = healthyKindRunner();

      await newProvider(runner).delete('kind');

      expect(runner.argvs).toEqual([
        ['kind', 'delete', 'cluster', '--name', 'netlab-kind'],
        ['docker', 'volume', 'rm', '--force', 'netlab-kind-owner'],
      ]);
    });

    it('should refuse a name that is not a cluster name', async () => {
      const runner = healthyKindRunner();

      const err = await failure(newProvider(runner).delete('../etc'));

      expect(err.code).toBe(ProviderErrorCode.INVALID_SPEC);
      expect(err.message).toContain('"../etc" is not a cluster name');
      expect(runner.calls).toEqual([]);
    });

    it("should report DELETE_FAILED with kind's output when kind cannot delete", async () => {
      const runner = healthyKindRunner().on(['kind', 'delete', 'cluster'], {
        fail: 'exit',
        stderr: 'failed to delete nodes',
      });

      const err = await failure(newProvider(runner).delete('netlab-a'));

      expect(err.code).toBe(ProviderErrorCode.DELETE_FAILED);
      expect(err.message).toContain('failed to delete nodes');
    });
  });

  describe('pruneRecords', () => {
    it('should remove only old records whose cluster is gone', async () => {
      const runner = healthyKindRunner()
        .on(['docker', 'ps'], { stdout: 'netlab-live\t2026-11-21 19:00:00 +0000 UTC\n' })
        .on(['docker', 'volume', 'ls'], {
          stdout: [
            'netlab-live-owner\tnetlab.dev/owner=netlab,netlab.dev/cluster=netlab-live,netlab.dev/created-at=2026-11-21T10:00:00.000Z',
            'netlab-gone-owner\tnetlab.dev/owner=netlab,netlab.dev/cluster=netlab-gone,netlab.dev/created-at=2026-11-21T10:00:00.000Z',
            'netlab-new-owner\tnetlab.dev/owner=netlab,netlab.dev/cluster=netlab-new,netlab.dev/created-at=2026-11-21T19:59:00.000Z',
            '',
          ].join('\n'),
        });

      const pruned = await newProvider(runner).pruneRecords(10 * 60_000);

      expect(pruned).toEqual(['netlab-gone']);
      expect(runner.callsTo(['docker', 'volume', 'rm']).map((c) => c.argv)).toEqual([
        ['docker', 'volume', 'rm', '--force', 'netlab-gone-owner'],
      ]);
    });
  });

  describe('list', () => {
    it('should list netlab clusters with their recorded labels and ignore other kind clusters', async () => {
      const runner = healthyKindRunner()
        .on(['docker', 'ps'], {
          stdout: [
            'netlab-b\t2026-11-21 19:00:00 +0000 UTC',
            'kind\t2026-11-20 10:00:00 +0000 UTC',
            'netlab-a\t2026-11-21 18:30:00 +0000 UTC',
            '',
          ].join('\n'),
        })
        .on(['docker', 'volume', 'ls'], {
          stdout:
            'netlab-a-owner\tnetlab.dev/owner=netlab,netlab.dev/cluster=netlab-a,netlab.dev/created-at=2026-11-21T18:29:59.000Z,netlab.dev/attempt=att-7\n',
        });

      const clusters = await newProvider(runner).list();

      expect(runner.argvs).toEqual([
        [
          'docker',
          'ps',
          '--all',
          '--filter',
          'label=io.x-k8s.kind.role=control-plane',
          '--format',
          '{{.Label "io.x-k8s.kind.cluster"}}\t{{.CreatedAt}}',
        ],
        [
          'docker',
          'volume',
          'ls',
          '--filter',
          'label=netlab.dev/owner=netlab',
          '--format',
          '{{.Name}}\t{{.Labels}}',
        ],
      ]);
      expect(clusters).toEqual([
        {
          name: 'netlab-a',
          provider: 'kind',
          createdAt: new Date('2026-11-21T18:29:59.000Z'),
          labels: { 'netlab.dev/attempt': 'att-7' },
        },
        { name: 'netlab-b', provider: 'kind', createdAt: new Date('2026-11-21T19:00:00Z'), labels: {} },
      ]);
    });

    it('should report LIST_FAILED naming the command when Docker does not answer', async () => {
      const runner = healthyKindRunner()
        .on(['docker', 'ps'], {
          fail: 'exit',
          stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock',
        })
        .on(['docker', 'volume', 'ls'], { stdout: '' });

      const err = await failure(newProvider(runner).list());

      expect(err.code).toBe(ProviderErrorCode.LIST_FAILED);
      expect(err.message).toContain('Cannot connect to the Docker daemon');
      expect(err.message).toContain('`docker ps --all');
    });
  });
});
