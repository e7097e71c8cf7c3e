import { KubeConfig, type V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GraderError, GraderErrorCode } from '../errors';
import { PROBE_LABEL } from '../probes/probe-pool';
import { FakeKubeClient, noCniNode, runningPod } from '../testing/fake-kube-client';
import { labWith } from '../testing/lab-factory';
import { runChecks } from './run-checks';

const kc = new KubeConfig();
const fast = { retryDelayMs: 0, probeStartTimeoutMs: 50 };
const from = { namespace: 'shop', labels: { role: 'client' } };

function shop(selector: Record<string, string> = { app: 'web' }): FakeKubeClient {
  const client = new FakeKubeClient();
  client.namespaces = [{ metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } }];
  client.pods = [
    runningPod('shop', 'web-1', { app: 'web' }, '10.244.0.10', {
      args: ['-listen=:8080', '-text=hi'],
      ports: [{ name: 'http', containerPort: 8080 }],
    }),
  ];
  const service: V1Service = {
    metadata: { namespace: 'shop', name: 'web' },
    spec: {
      selector,
      clusterIP: '10.96.0.20',
      ports: [{ name: 'http', port: 80, targetPort: 'http' as never, protocol: 'TCP' }],
    },
  };
  client.services = [service];
  return client;
}

function slice(ready: boolean) {
  return {
    metadata: { namespace: 'shop', name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.0.10'], conditions: { ready }, targetRef: { kind: 'Pod', name: 'web-1' } },
    ],
  };
}

const curlOk = { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhi\n', stderr: '' };
const curlRefused = {
  exitCode: 7,
  stdout: '',
  stderr: 'curl: (7) Failed to connect to web port 80 after 1 ms: Connection refused\n',
};
const curlTimeout = {
  exitCode: 28,
  stdout: '',
  stderr: 'curl: (28) Connection timed out after 1001 milliseconds\n',
};

describe(runChecks.name, () => {
  it('should pass an endpoints check when the Service has enough ready endpoints', async () => {
    const client = shop();
    client.slices = [slice(true)];
    const sut = await runChecks(
      kc,
      labWith([{ id: 'eps', title: 'eps', type: 'endpoints', service: { namespace: 'shop', name: 'web' } }]),
      { client, ...fast },
    );
    expect(sut.passed).toBe(true);
    expect(sut.checks[0]).toMatchObject({ id: 'eps', status: 'pass', attempts: 1 });
    expect(sut.checks[0]!.evidence).toBe('Service shop/web has 1 ready endpoint (web-1 10.244.0.10)');
  });

  it('should fail with a diagnosis naming the selector when the Service selects no pod', async () => {
    const client = shop({ app: 'web', tier: 'api' });
    const sut = await runChecks(
      kc,
      labWith([
        {
          id: 'eps',
          title: 'eps',
          type: 'endpoints',
          service: { namespace: 'shop', name: 'web' },
          retries: 1,
        },
      ]),
      { client, ...fast },
    );
    const result = sut.checks[0]!;
    expect(result.status).toBe('fail');
    expect(result.attempts).toBe(1); // a cluster at rest answers the same again: no retry
    expect(result.evidence).toBe('Service shop/web has 0 ready endpoints');
    expect(result.diagnosis).toContain('tier=api');
    expect(sut.passed).toBe(false);
  });

  it('should retry a failing check while a pod is still starting, up to the retries the lab allows', async () => {
    const client = shop();
    client.pods.push({
      metadata: { namespace: 'shop', name: 'web-2', labels: { app: 'web' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'hashicorp/http-echo:1.0' }] },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'web',
            image: '',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    });
    const check = {
      id: 'eps',
      title: 'eps',
      type: 'endpoints',
      service: { namespace: 'shop', name: 'web' },
      minReady: 2,
      retries: 2,
    };
    const sut = await runChecks(kc, labWith([check]), { client, ...fast });
    expect(sut.checks[0]).toMatchObject({ status: 'fail', attempts: 3 });
  });

  it('should run http probes in a pod carrying the source labels and the probe label, then delete it', async () => {
    const client = shop();
    client.slices = [slice(true)];
    client.onExec = () => curlOk;
    const sut = await runChecks(
      kc,
      labWith([
        {
          id: 'get',
          title: 'get',
          type: 'http',
          from,
          url: 'http://web/',
          expect: { status: 200, bodyIncludes: 'hi' },
        },
      ]),
      { client, ...fast },
    );
    expect(sut.checks[0]).toMatchObject({
      status: 'pass',
      evidence: 'GET http://web/ → HTTP 200, body "hi"',
    });
    const probe = client.created[0]!;
    expect(probe.metadata?.labels).toEqual({ role: 'client', [PROBE_LABEL]: 'true' });
    expect(probe.metadata?.namespace).toBe('shop');
    // Never Ready (so never an endpoint), gone at once when deleted, and gone anyway after 5 minutes.
    expect(probe.spec?.containers[0]?.readinessProbe?.exec?.command).toEqual(['false']);
    expect(probe.spec?.terminationGracePeriodSeconds).toBe(0);
    expect(probe.spec?.activeDeadlineSeconds).toBe(300);
    expect(probe.spec?.containers[0]?.image).toBe('nicolaka/netshoot:v0.13');
    expect(client.execs[0]!.command).toEqual([
      'curl',
      '-sS',
      '-i',
      '--connect-timeout',
      '1',
      '--max-time',
      '3',
      'http://web/',
    ]);
    expect(client.deleted).toEqual([`shop/${probe.metadata?.name}`]);
  });

  it('should probe from a running lab pod with the source identity and a debugging image, creating nothing', async () => {
    const client = shop();
    client.pods.push({
      ...runningPod('shop', 'client-7d9', { role: 'client', 'pod-template-hash': '7d9' }, '10.244.0.30', {
        name: 'shell',
        image: 'nicolaka/netshoot:v0.13',
      }),
      status: {
        phase: 'Running',
        podIP: '10.244.0.30',
        containerStatuses: [
          {
            name: 'shell',
            image: 'nicolaka/netshoot:v0.13',
            imageID: '',
            ready: true,
            restartCount: 0,
            state: { running: {} },
          },
        ],
      },
    });
    client.onExec = () => curlOk;
    const check = {
      id: 'get',
      title: 'get',
      type: 'http',
      from,
      url: 'http://web/',
      expect: { status: 200 },
    };
    const sut = await runChecks(kc, labWith([check]), { client, ...fast });
    expect(sut.checks[0]!.evidence).toBe('GET http://web/ → HTTP 200, body "hi"; from pod shop/client-7d9');
    expect(client.execs[0]!.pod).toBe('shop/client-7d9');
    expect(client.created).toHaveLength(0);
    expect(client.deleted).toHaveLength(0);
  });

  it('should share one probe pod between checks with the same source', async () => {
    const client = shop();
    client.onExec = () => curlOk;
    const check = { type: 'http', from, url: 'http://web/', expect: { status: 200 } };
    await runChecks(
      kc,
      labWith([
        { id: 'a', title: 'a', ...check },
        { id: 'b', title: 'b', ...check },
      ]),
      { client, ...fast },
    );
    expect(client.created).toHaveLength(1);
    expect(client.execs).toHaveLength(2);
  });

  it('should report a refused request as a failure with the model explaining the broken link', async () => {
    const client = shop({ app: 'nothing' });
    client.onExec = () => curlRefused;
    const sut = await runChecks(
      kc,
      labWith([
        {
          id: 'get',
          title: 'get',
          type: 'http',
          from,
          url: 'http://web/',
          expect: { status: 200 },
          retries: 0,
        },
      ]),
      { client, ...fast },
    );
    expect(sut.checks[0]!.status).toBe('fail');
    expect(sut.checks[0]!.evidence).toContain('no answer (refused)');
    expect(sut.checks[0]!.diagnosis).toMatch(/app=nothing/);
  });

  it('should pass an expect: blocked check when the request times out', async () => {
    const client = shop();
    client.onExec = () => curlTimeout;
    const sut = await runChecks(
      kc,
      labWith([{ id: 'blk', title: 'blk', type: 'http', from, url: 'http://web/', expect: 'blocked' }]),
      { client, ...fast },
    );
    expect(sut.checks[0]).toMatchObject({ status: 'pass' });
  });

  it('should fail an expect: blocked check that gets an answer, saying nothing blocks it', async () => {
    const client = shop();
    client.slices = [slice(true)];
    client.onExec = () => curlOk;
    const sut = await runChecks(
      kc,
      labWith([
        { id: 'blk', title: 'blk', type: 'http', from, url: 'http://web/', expect: 'blocked', retries: 0 },
      ]),
      { client, ...fast },
    );
    expect(sut.checks[0]!.status).toBe('fail');
    expect(sut.checks[0]!.diagnosis).toMatch(/should be blocked/);
  });

  it('should note a Service that selects the probe labels in the evidence', async () => {
    const client = shop();
    client.onExec = () => curlOk;
    const sut = await runChecks(
      kc,
      labWith([
        {
          id: 'get',
          title: 'get',
          type: 'http',
          from: { namespace: 'shop', labels: { app: 'web' } },
          url: 'http://web/',
          expect: { status: 200 },
        },
      ]),
      { client, ...fast },
    );
    expect(sut.checks[0]!.evidence).toContain("Service shop/web selects the probe's labels");
  });

  it('should fail traffic checks with the nodes diagnosis when the probe cannot start on a cluster without CNI', async () => {
    const client = shop();
    client.nodes = [noCniNode('node-1')];
    client.podsStart = false;
    const sut = await runChecks(
      kc,
      labWith([
        {
          id: 'get',
          title: 'get',
          type: 'http',
          from,
          url: 'http://web/',
          expect: { status: 200 },
          retries: 0,
        },
      ]),
      { client, ...fast },
    );
    const result = sut.checks[0]!;
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe('no probe pod could start: no node is Ready');
    expect(result.diagnosis).toMatch(/node node-1 is NotReady: .*cni plugin not initialized/);
    expect(client.created).toHaveLength(0);
  });

  it('should fail with what the probe pod waits for when it does not start in time, and delete it', async () => {
    const client = shop();
    client.podsStart = false;
    client.events = [
      {
        metadata: { namespace: 'shop' },
        involvedObject: {},
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: 'failed to set up sandbox container network',
      },
    ];
    const check = {
      id: 'get',
      title: 'get',
      type: 'http',
      from,
      url: 'http://web/',
      expect: { status: 200 },
      retries: 0,
    };
    const sut = await runChecks(kc, labWith([check]), { client, ...fast });
    expect(sut.checks[0]!.status).toBe('fail');
    expect(sut.checks[0]!.evidence).toMatch(
      /^the probe pod shop\/netlab-probe-\w+ did not start within 0s \(ContainerCreating: FailedCreatePodSandBox: failed to set up sandbox container network\)$/,
    );
    expect(client.deleted).toHaveLength(1);
  });

  it.each([
    ['connected', { exitCode: 0, stdout: '', stderr: 'web (10.96.0.20:80) open\n' }, 'pass'],
    [
      'connected',
      { exitCode: 1, stdout: '', stderr: 'nc: web (10.96.0.20:80): Connection refused\n' },
      'fail',
    ],
    ['refused', { exitCode: 1, stdout: '', stderr: 'nc: web (10.96.0.20:80): Connection refused\n' }, 'pass'],
    [
      'blocked',
      { exitCode: 1, stdout: '', stderr: 'nc: web (10.96.0.20:80): Connection timed out\n' },
      'pass',
    ],
  ] as const)(
    'should report a tcp check expecting %s as %s for the observed nc output',
    async (expect_, output, status) => {
      const client = shop();
      client.slices = [slice(true)];
      client.onExec = () => output;
      const sut = await runChecks(
        kc,
        labWith([
          { id: 'tcp', title: 'tcp', type: 'tcp', from, host: 'web', port: 80, expect: expect_, retries: 0 },
        ]),
        { client, ...fast },
      );
      expect(sut.checks[0]!.status).toBe(status === 'pass' ? 'pass' : 'fail');
    },
  );

  it('should report nodes-ready and pods-ready failures with the kubelet reason when there is no CNI', async () => {
    const client = shop();
    client.nodes = [noCniNode('node-1')];
    client.pods = [
      {
        metadata: { namespace: 'shop', name: 'web-1', labels: { app: 'web' } },
        spec: { nodeName: 'node-1', containers: [] },
        status: { phase: 'Pending' },
      },
    ];
    client.events = [
      {
        metadata: { namespace: 'shop' },
        involvedObject: {},
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: 'failed to setup network for sandbox',
      },
    ];
    const sut = await runChecks(
      kc,
      labWith([
        { id: 'nodes', title: 'nodes', type: 'nodes-ready', retries: 0 },
        {
          id: 'pods',
          title: 'pods',
          type: 'pods-ready',
          namespace: 'shop',
          labels: { app: 'web' },
          retries: 0,
        },
      ]),
      { client, ...fast },
    );
    expect(sut.checks[0]).toMatchObject({ status: 'fail', evidence: '0 of 1 node Ready; NotReady: node-1' });
    expect(sut.checks[0]!.diagnosis).toContain('No CNI plugin is installed');
    expect(sut.checks[1]!.evidence).toBe(
      '0 of 1 pod with app=web in shop Ready; not ready: web-1 ContainerCreating',
    );
    expect(sut.checks[1]!.diagnosis).toContain('FailedCreatePodSandBox');
  });

  it('should check a field of an object with a JSONPath', async () => {
    const client = shop();
    const lab = labWith([
      {
        id: 'sel',
        title: 'sel',
        type: 'resource',
        target: { kind: 'Service', namespace: 'shop', name: 'web' },
        jsonPath: '$.spec.selector.app',
        equals: 'web',
      },
      {
        id: 'gone',
        title: 'gone',
        type: 'resource',
        target: { kind: 'Service', namespace: 'shop', name: 'old' },
        exists: false,
      },
      {
        id: 'port',
        title: 'port',
        type: 'resource',
        target: { kind: 'Service', namespace: 'shop', name: 'web' },
        jsonPath: '$.spec.ports[0].port',
        equals: 8080,
        retries: 0,
      },
    ]);
    const sut = await runChecks(kc, lab, { client, ...fast });
    expect(sut.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'fail']);
    expect(sut.checks[2]!.diagnosis).toBe('Service shop/web $.spec.ports[0].port is 80; expected 8080');
  });

  it('should throw a GraderError when the cluster API cannot be reached', async () => {
    const client = shop();
    client.failWith = new GraderError(
      GraderErrorCode.CLUSTER_UNREACHABLE,
      'cannot reach the cluster API (ECONNREFUSED)',
    );
    await expect(
      runChecks(kc, labWith([{ id: 'n', title: 'n', type: 'nodes-ready' }]), { client }),
    ).rejects.toMatchObject({
      code: GraderErrorCode.CLUSTER_UNREACHABLE,
    });
  });

  it('should run only the checks asked for', async () => {
    const client = shop();
    const lab = labWith([
      { id: 'a', title: 'a', type: 'nodes-ready' },
      { id: 'b', title: 'b', type: 'nodes-ready' },
    ]);
    const sut = await runChecks(kc, lab, { client, checkIds: ['b'], ...fast });
    expect(sut.checks.map((c) => c.id)).toEqual(['b']);
  });
});
