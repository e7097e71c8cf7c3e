import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { parse } from 'yaml';
import { rows, startWorld, type KubectlWorld } from './kubectl-harness';

/** A GET with no credentials, trusting only the CA from the cluster's kubeconfig. */
function rawGet(world: KubectlWorld, path: string): Promise<{ status: number; body: string }> {
  const config = parse(world.cluster.kubeconfig) as { clusters: { cluster: Record<string, string> }[] };
  const ca = Buffer.from(config.clusters[0]!.cluster['certificate-authority-data']!, 'base64');
  return new Promise((resolve, reject) => {
    const req = request(`${world.cluster.url}${path}`, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each([30, 33, 29])('sim discovery with kubectl 1.%i', { timeout: 60_000 }, (minor) => {
  let sut: KubectlWorld;
  beforeAll(async () => {
    sut = await startWorld({ minor });
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should run the kubectl minor the server reports when asked for the version', async () => {
    const r = await sut.kubectl(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Client Version: v1\\.${minor}\\.`));
    expect(r.stdout).toMatch(new RegExp(`Server Version: v1\\.${minor}\\.`));
  });

  it('should list every supported kind with short names when asked for api-resources', async () => {
    const r = await sut.kubectl(['api-resources']);
    expect(r.code).toBe(0);
    const table = rows(r.stdout);
    expect(table[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const byName = new Map(table.map((row) => [`${row[0]} ${row.at(-3)}`, row]));
    expect(byName.get('pods v1')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(byName.get('deployments apps/v1')).toEqual([
      'deployments',
      'deploy',
      'apps/v1',
      'true',
      'Deployment',
    ]);
    expect(byName.get('networkpolicies networking.k8s.io/v1')).toEqual([
      'networkpolicies',
      'netpol',
      'networking.k8s.io/v1',
      'true',
      'NetworkPolicy',
    ]);
    expect(byName.get('events events.k8s.io/v1')).toEqual(['events', 'events.k8s.io/v1', 'true', 'Event']);
    for (const kind of [
      'Namespace',
      'Node',
      'Service',
      'Endpoints',
      'EndpointSlice',
      'ReplicaSet',
      'DaemonSet',
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'Ingress',
      'IngressClass',
      'SelfSubjectAccessReview',
    ]) {
      expect(table.some((row) => row.at(-1) === kind)).toBe(true);
    }
  });

  it('should print the served group versions when asked for api-versions', async () => {
    const r = await sut.kubectl(['api-versions']);
    expect(r.stdout.trim().split('\n')).toEqual([
      'apps/v1',
      'authentication.k8s.io/v1',
      'authorization.k8s.io/v1',
      'coordination.k8s.io/v1',
      'discovery.k8s.io/v1',
      'events.k8s.io/v1',
      'networking.k8s.io/v1',
      'rbac.authorization.k8s.io/v1',
      'v1',
    ]);
  });

  it('should list healthy control-plane components with the deprecation warning for get cs', async () => {
    const r = await sut.kubectl(['get', 'cs']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe('Warning: v1 ComponentStatus is deprecated in v1.19+');
    expect(rows(r.stdout)).toEqual([
      ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
      ['controller-manager', 'Healthy', 'ok'],
      ['scheduler', 'Healthy', 'ok'],
      ['etcd-0', 'Healthy', 'ok'],
    ]);
    const yaml = await sut.kubectl(['get', 'componentstatus', 'etcd-0', '-o', 'yaml']);
    expect(yaml.stdout).toContain('message: ok');
  });

  it('should name the kind admin user when asked auth whoami', async () => {
    const r = await sut.kubectl(['auth', 'whoami']);
    expect(r.code).toBe(0);
    expect(rows(r.stdout)).toEqual([
      ['ATTRIBUTE', 'VALUE'],
      ['Username', 'kubernetes-admin'],
      ['Groups', '[kubeadm:cluster-admins system:authenticated]'],
    ]);
  });

  it('should name the control plane URL when asked for cluster-info', async () => {
    const r = await sut.kubectl(['cluster-info']);
    expect(r.code).toBe(0);
    // Older kubectls colour this line; what the user reads is the same.
    // eslint-disable-next-line no-control-regex
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toContain(
      `Kubernetes control plane is running at ${sut.cluster.url}`,
    );
  });

  it('should explain a field with its documentation', async () => {
    const r = await sut.kubectl(['explain', 'deployment.spec.replicas']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('KIND:       Deployment');
    expect(r.stdout).toContain('FIELD: replicas <integer>');
    expect(r.stdout).toContain('Number of desired pods.');
  });

  it('should explain a nested field with plain quotes and a text for every subfield', async () => {
    const r = await sut.kubectl(['explain', 'deployment.spec.strategy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(r.stdout).toContain('Can be "Recreate" or "RollingUpdate"');
    expect(r.stdout).not.toContain('\\"');
    expect(r.stdout).not.toContain('<no description>');
    const np = await sut.kubectl(['explain', 'networkpolicy.spec']);
    expect(np.stdout.match(/NetworkPolicySpec provides the specification/g)).toHaveLength(1);
    const ports = await sut.kubectl(['explain', 'pod.spec.containers.ports']);
    expect(ports.stdout).toContain("Number of port to expose on the pod's IP address.");
  });

  it('should list a kind by its short name without an ambiguity warning for ev', async () => {
    const r = await sut.kubectl(['get', 'ev']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('could also match');
  });
});

describe('sim API authentication', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  beforeAll(async () => {
    sut = await startWorld({ minor: 33 });
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should refuse a wrong token with Unauthorized', async () => {
    const r = await sut.kubectl(['get', 'pods', '--token', 'not-the-token']);
    expect(r.code).toBe(1);
    // With a cold discovery cache kubectl words the 401 as a credentials request, as against a real cluster.
    expect(r.stderr).toMatch(
      /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/,
    );
  });

  it('should answer a request without a token with a 401 Status trusted through the kubeconfig CA', async () => {
    const res = await rawGet(sut, '/api/v1/pods');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('should say the user may do anything when asked auth can-i', async () => {
    const yes = await sut.kubectl(['auth', 'can-i', 'delete', 'deployments', '-n', 'kube-system']);
    expect(yes.code).toBe(0);
    expect(yes.stdout.trim()).toBe('yes');
  });

  it('should answer top as a cluster without metrics-server', async () => {
    const r = await sut.kubectl(['top', 'pods']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: Metrics API not available');
  });
});
