import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type KubectlWorld } from './kubectl-harness';
import { webManifest } from './manifests';

describe('sim write commands with kubectl 1.30', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args);
  const json = async (...args: string[]) => JSON.parse((await sut.kubectl([...args, '-o', 'json'])).stdout);

  beforeAll(async () => {
    sut = await startWorld({ minor: 30 });
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should create, then report unchanged, then configured when applying a manifest three times', async () => {
    const path = sut.file('web.yaml', webManifest());
    expect((await k('apply', '-f', path)).stdout).toBe('deployment.apps/web created\nservice/web created\n');
    expect((await k('apply', '-f', path)).stdout).toBe(
      'deployment.apps/web unchanged\nservice/web unchanged\n',
    );
    sut.file('web.yaml', webManifest('nginx:1.26'));
    expect((await k('apply', '-f', path)).stdout).toBe(
      'deployment.apps/web configured\nservice/web unchanged\n',
    );
    const d = await json('get', 'deploy', 'web');
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(d.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(d.metadata.generation).toBe(2);
  });

  it('should apply server-side twice and keep the fields the manifest owns', async () => {
    const path = sut.file('ssa.yaml', webManifest('nginx:1.27', 3).replaceAll('web', 'ssa'));
    expect((await k('apply', '--server-side', '-f', path)).stdout).toBe(
      'deployment.apps/ssa serverside-applied\nservice/ssa serverside-applied\n',
    );
    expect((await k('apply', '--server-side', '-f', path)).stdout).toBe(
      'deployment.apps/ssa serverside-applied\nservice/ssa serverside-applied\n',
    );
    const d = await json('get', 'deploy', 'ssa', '--show-managed-fields');
    expect(d.spec.replicas).toBe(3);
    expect(d.metadata.managedFields[0].manager).toBe('kubectl');
    expect(d.metadata.managedFields[0].operation).toBe('Apply');
  });

  it('should refuse a server-side apply that conflicts with another applier unless forced', async () => {
    const path = sut.file(
      'other.yaml',
      webManifest('nginx:1.27', 5).replaceAll('web', 'ssa').split('---')[0]!,
    );
    const r = await k('apply', '--server-side', '--field-manager=other', '-f', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(r.stderr).toContain('--force-conflicts');
    const forced = await k(
      'apply',
      '--server-side',
      '--field-manager=other',
      '--force-conflicts',
      '-f',
      path,
    );
    expect(forced.stdout).toBe('deployment.apps/ssa serverside-applied\n');
    expect((await json('get', 'deploy', 'ssa')).spec.replicas).toBe(5);
  });

  it('should create a namespace, deployment, services, configmap and secret with kubectl create', async () => {
    expect((await k('create', 'namespace', 'team')).stdout).toBe('namespace/team created\n');
    expect(
      (await k('create', 'deployment', 'api', '--image=nginx:1.25', '--replicas=2', '--port=8080')).stdout,
    ).toBe('deployment.apps/api created\n');
    expect((await k('create', 'service', 'clusterip', 'api', '--tcp=80:8080')).stdout).toBe(
      'service/api created\n',
    );
    expect((await k('create', 'service', 'nodeport', 'api-np', '--tcp=80:8080')).stdout).toBe(
      'service/api-np created\n',
    );
    expect((await k('create', 'configmap', 'cfg', '--from-literal=color=blue')).stdout).toBe(
      'configmap/cfg created\n',
    );
    expect((await k('create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret')).stdout).toBe(
      'secret/pw created\n',
    );
    const ns = await json('get', 'ns', 'team');
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
    const np = await json('get', 'svc', 'api-np');
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(np.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect((await json('get', 'secret', 'pw')).data).toEqual({
      password: Buffer.from('s3cret').toString('base64'),
    });
    expect((await json('get', 'cm', 'cfg')).data).toEqual({ color: 'blue' });
    expect((await k('create', 'quota', 'q', '--hard=pods=10,requests.cpu=2')).stdout).toBe(
      'resourcequota/q created\n',
    );
    expect((await json('get', 'quota', 'q')).spec.hard).toEqual({ pods: '10', 'requests.cpu': '2' });
  });

  it('should create an ingress, RBAC objects, a service account and a token with kubectl create', async () => {
    expect(
      (await k('create', 'ingress', 'ing', '--class=nginx', '--rule=web.local/api*=api:8080,tls=web-tls'))
        .stdout,
    ).toBe('ingress.networking.k8s.io/ing created\n');
    expect((await json('get', 'ingress', 'ing')).spec).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'web.local',
          http: {
            paths: [
              {
                path: '/api',
                pathType: 'Prefix',
                backend: { service: { name: 'api', port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
      tls: [{ hosts: ['web.local'], secretName: 'web-tls' }],
    });
    expect((await k('create', 'role', 'reader', '--verb=get,list', '--resource=pods')).stdout).toBe(
      'role.rbac.authorization.k8s.io/reader created\n',
    );
    expect((await json('get', 'role', 'reader')).rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ]);
    expect((await k('create', 'rolebinding', 'reader', '--role=reader', '--user=alice')).stdout).toBe(
      'rolebinding.rbac.authorization.k8s.io/reader created\n',
    );
    expect((await k('create', 'serviceaccount', 'robot')).stdout).toBe('serviceaccount/robot created\n');
    const token = await k('create', 'token', 'robot');
    expect(token.code).toBe(0);
    expect(token.stdout.length).toBeGreaterThan(10);
  });

  it('should create from a file with create -f and replace it with replace', async () => {
    const path = sut.file(
      'cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: replaced}\ndata: {a: "1"}\n',
    );
    expect((await k('create', '-f', path)).stdout).toBe('configmap/replaced created\n');
    sut.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: replaced}\ndata: {a: "2"}\n');
    expect((await k('replace', '-f', path)).stdout).toBe('configmap/replaced replaced\n');
    expect((await json('get', 'cm', 'replaced')).data).toEqual({ a: '2' });
  });

  it('should edit through KUBE_EDITOR', async () => {
    const r = await sut.kubectl(['edit', 'deploy', 'api'], {
      env: { KUBE_EDITOR: 'sed -i s/replicas:\\ 2/replicas:\\ 4/' },
    });
    expect(r.stdout).toBe('deployment.apps/api edited\n');
    expect((await json('get', 'deploy', 'api')).spec.replicas).toBe(4);
  });

  it('should strategic-merge a container by name and keep its other fields', async () => {
    const r = await k(
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}',
    );
    expect(r.stdout).toBe('deployment.apps/web patched\n');
    const c = (await json('get', 'deploy', 'web')).spec.template.spec.containers;
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({
      name: 'web',
      image: 'nginx:1.28',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      env: [{ name: 'MODE', value: 'prod' }],
    });
  });

  it('should honour $patch delete and $setElementOrder directives', async () => {
    await k(
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}',
    );
    await k(
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"web"}]}}}}',
    );
    let names = (await json('get', 'deploy', 'web')).spec.template.spec.containers.map(
      (c: { name: string }) => c.name,
    );
    expect(names).toEqual(['side', 'web']);
    await k(
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}',
    );
    names = (await json('get', 'deploy', 'web')).spec.template.spec.containers.map(
      (c: { name: string }) => c.name,
    );
    expect(names).toEqual(['web']);
  });

  it('should apply merge and json patches', async () => {
    expect((await k('patch', 'deploy', 'api', '--type=merge', '-p', '{"spec":{"replicas":1}}')).stdout).toBe(
      'deployment.apps/api patched\n',
    );
    expect((await json('get', 'deploy', 'api')).spec.replicas).toBe(1);
    expect(
      (
        await k(
          'patch',
          'deploy',
          'api',
          '--type=json',
          '-p',
          '[{"op":"replace","path":"/spec/replicas","value":3}]',
        )
      ).stdout,
    ).toBe('deployment.apps/api patched\n');
    expect((await json('get', 'deploy', 'api')).spec.replicas).toBe(3);
  });

  it('should label and annotate, refuse an overwrite without --overwrite, and remove with key-', async () => {
    expect((await k('label', 'deploy', 'api', 'tier=backend')).stdout).toBe('deployment.apps/api labeled\n');
    const clash = await k('label', 'deploy', 'api', 'tier=frontend');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("'tier' already has a value (backend), and --overwrite is false");
    await k('label', 'deploy', 'api', 'tier=frontend', '--overwrite');
    expect((await json('get', 'deploy', 'api')).metadata.labels.tier).toBe('frontend');
    await k('label', 'deploy', 'api', 'tier-');
    expect((await json('get', 'deploy', 'api')).metadata.labels.tier).toBeUndefined();
    expect((await k('annotate', 'deploy', 'api', 'owner=team-a')).stdout).toBe(
      'deployment.apps/api annotated\n',
    );
    await k('annotate', 'deploy', 'api', 'owner-');
    expect((await json('get', 'deploy', 'api')).metadata.annotations?.owner).toBeUndefined();
  });

  it('should scale, set image, set env and expose', async () => {
    expect((await k('scale', 'deploy', 'api', '--replicas=5')).stdout).toBe('deployment.apps/api scaled\n');
    expect((await k('set', 'image', 'deploy/api', 'nginx=nginx:1.27')).stdout).toBe(
      'deployment.apps/api image updated\n',
    );
    expect((await k('set', 'env', 'deploy/api', 'LOG=debug')).stdout).toBe(
      'deployment.apps/api env updated\n',
    );
    const d = await json('get', 'deploy', 'api');
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'LOG', value: 'debug' }]);
    expect(
      (await k('expose', 'deploy', 'api', '--name=api-exposed', '--port=80', '--target-port=8080')).stdout,
    ).toBe('service/api-exposed exposed\n');
    const svc = await json('get', 'svc', 'api-exposed');
    expect(svc.spec.selector).toEqual({ app: 'api' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, protocol: 'TCP' });
  });

  it('should run a pod with the API defaults', async () => {
    expect(
      (await k('run', 'box', '--image=busybox:1.36', '--labels=app=box', '--', 'sleep', '3600')).stdout,
    ).toBe('pod/box created\n');
    const pod = await json('get', 'pod', 'box');
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    });
    expect(pod.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      args: ['sleep', '3600'],
    });
    expect(pod.status.phase).toBe('Pending');
  });

  it('should delete by name, by file, by label and with --all', async () => {
    expect((await k('delete', 'cm', 'replaced')).stdout).toBe('configmap "replaced" deleted\n');
    const path = sut.file(
      'gone.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone, labels: {batch: x}}\n',
    );
    await k('apply', '-f', path);
    expect((await k('delete', '-f', path)).stdout).toBe('configmap "gone" deleted\n');
    await k('create', 'cm', 'l1');
    await k('label', 'cm', 'l1', 'batch=y');
    expect((await k('delete', 'cm', '-l', 'batch=y')).stdout).toBe('configmap "l1" deleted\n');
    await k('create', 'cm', 'x1', '-n', 'team');
    await k('create', 'cm', 'x2', '-n', 'team');
    expect((await k('delete', 'cm', '--all', '-n', 'team')).stdout).toBe(
      'configmap "x1" deleted\nconfigmap "x2" deleted\n',
    );
    const missing = await k('get', 'cm', 'x1', '-n', 'team');
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): configmaps "x1" not found');
  });

  it('should delete a namespace with everything in it', async () => {
    await k('create', 'ns', 'doomed');
    await k('create', 'cm', 'inside', '-n', 'doomed');
    expect((await k('delete', 'ns', 'doomed')).stdout).toBe('namespace "doomed" deleted\n');
    expect((await k('get', 'ns', 'doomed')).stderr.trim()).toBe(
      'Error from server (NotFound): namespaces "doomed" not found',
    );
  });
});
