import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/**
 * Small places where the sim used to teach something false: dash's error wording, the order the
 * EndpointSlice controller writes endpoints in, and an ExternalName aliasing a name that is gone.
 */
describe(
  'shell wording, EndpointSlice order and ExternalName NODATA through kubectl',
  { timeout: 180_000 },
  () => {
    let sut: KubectlWorld;
    const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
    const exec = (pod: string, ...command: string[]) => k('exec', pod, '--', ...command);

    beforeAll(async () => {
      sut = await startRuntimeWorld({
        pods: [
          ['deb', 'nginx:1.27'],
          ['bb', 'busybox:1.36', 'sleep', '3600'],
          ['shoot', 'nicolaka/netshoot', 'sleep', '3600'],
          ['curl', 'curlimages/curl:8.5.0', 'sleep', '3600'],
        ],
      });
    }, 120_000);
    afterAll(() => sut?.stop());

    it('should word a missing command as dash does in a Debian-based image and as ash does in busybox', async () => {
      const dash = await exec('deb', 'sh', '-c', 'echo start\nnslookup web');
      expect(dash.stdout).toBe('start\n');
      expect(dash.stderr).toBe('sh: 2: nslookup: not found\ncommand terminated with exit code 127\n');
      expect(dash.code).toBe(127);

      const ash = await exec('bb', 'sh', '-c', 'curl web');
      expect(ash.stderr).toBe('sh: curl: not found\ncommand terminated with exit code 127\n');
    });

    it('should keep endpoints where the controller wrote them and append a replacement Pod at the end', async () => {
      expect((await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3')).code).toBe(0);
      expect((await k('expose', 'deployment', 'web', '--port=80')).code).toBe(0);
      const order = async () =>
        (
          await k(
            'get',
            'endpointslices',
            '-l',
            'kubernetes.io/service-name=web',
            '-o',
            'jsonpath={range .items[*].endpoints[*]}{.targetRef.name}{" "}{.conditions.ready}{"\\n"}{end}',
          )
        ).stdout
          .trim()
          .split('\n')
          .filter(Boolean);
      await eventually(
        async () => (await order()).filter((l) => l.endsWith(' true')).length === 3,
        '3 ready endpoints',
        60_000,
      );
      const before = (await order()).map((l) => l.split(' ')[0]!);

      expect((await k('delete', 'pod', before[0]!, '--wait=false')).code).toBe(0);
      await eventually(
        async () => {
          const now = await order();
          return (
            now.length === 3 &&
            !now.some((l) => l.startsWith(`${before[0]} `)) &&
            now.every((l) => l.endsWith(' true'))
          );
        },
        'the replacement Pod to be a ready endpoint',
        90_000,
      );

      const after = (await order()).map((l) => l.split(' ')[0]!);
      expect(after.slice(0, 2)).toEqual(before.slice(1));
      expect(before).not.toContain(after[2]);
    });

    it('should answer NOERROR with no records when an ExternalName aliases a Service that does not exist', async () => {
      const created = await k(
        'create',
        'service',
        'externalname',
        'alias',
        '--external-name=orders.legacy.svc.cluster.local',
      );
      expect(created.code).toBe(0);

      // CoreDNS learns of a new Service through its watch, a moment after the API has it.
      let busybox = await exec('bb', 'nslookup', 'alias');
      await eventually(
        async () => (busybox = await exec('bb', 'nslookup', 'alias')).stdout.includes('No answer'),
        'CoreDNS to serve the alias',
        30_000,
      );
      expect(busybox.code).toBe(0);
      expect(busybox.stdout).toBe(
        'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' +
          "*** Can't find alias.default.svc.cluster.local: No answer\n\n".repeat(2),
      );

      const dig = await exec('shoot', 'dig', 'alias.default.svc.cluster.local');
      expect(dig.stdout).toContain('status: NOERROR');
      expect(dig.stdout).toContain('ANSWER: 0, AUTHORITY: 1');
      expect(dig.stdout).not.toContain('CNAME');

      const curl = await exec('curl', 'curl', '-sS', 'http://alias/');
      expect(curl.code).toBe(6);
      expect(curl.stderr).toBe(
        'curl: (6) Could not resolve host: alias\ncommand terminated with exit code 6\n',
      );
    });
  },
);
