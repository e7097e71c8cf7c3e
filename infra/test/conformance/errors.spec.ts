import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type KubectlWorld } from './kubectl-harness';
import { webManifest } from './manifests';

describe('sim API errors with kubectl 1.33', { timeout: 60_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args);

  beforeAll(async () => {
    sut = await startWorld({ minor: 33 });
    await sut.kubectl(['apply', '-f', sut.file('web.yaml', webManifest())]);
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should say NotFound as the API server does', async () => {
    const r = await k('get', 'pod', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    const d = await k('get', 'deploy', 'nope');
    expect(d.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('should refuse a pod whose service account does not exist, and admit it once it does', async () => {
    const run = () =>
      k('run', 'sa-pod', '--image=nginx', '--overrides={"spec":{"serviceAccountName":"robot"}}');
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): pods "sa-pod" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    );
    expect((await k('create', 'serviceaccount', 'robot')).code).toBe(0);
    expect((await run()).stdout).toBe('pod/sa-pod created\n');
  });

  it('should say AlreadyExists when creating twice', async () => {
    const r = await k('create', 'deployment', 'web', '--image=nginx');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: failed to create deployment: deployments.apps "web" already exists');
  });

  it('should say Conflict when replacing with a stale resourceVersion', async () => {
    const live = JSON.parse((await k('get', 'deploy', 'web', '-o', 'json')).stdout);
    live.metadata.resourceVersion = '2';
    const r = await k('replace', '-f', sut.file('stale.json', JSON.stringify(live)));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Error from server (Conflict): error when replacing "' +
        sut.dir +
        '/stale.json": Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('should reject unknown fields under strict field validation', async () => {
    const path = sut.file(
      'typo.yaml',
      webManifest()
        .split('---')[0]!
        .replace('replicas: 2', 'replica: 2')
        .replace('name: web\n', 'name: typo\n'),
    );
    const r = await k('apply', '-f', path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `Error from server (BadRequest): error when creating "${path}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"`,
    );
  });

  it('should list each invalid field as the API server does', async () => {
    const path = sut.file(
      'invalid.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: inv}\nspec:\n  selector: {matchLabels: {app: inv}}\n  template:\n    metadata: {labels: {app: other}}\n    spec:\n      containers: [{name: c}]\n',
    );
    const r = await k('apply', '-f', path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'The Deployment "inv" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n* spec.template.spec.containers[0].image: Required value',
    );
  });

  it('should refuse to change a Deployment selector', async () => {
    const r = await k(
      'patch',
      'deploy',
      'web',
      '-p',
      '{"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}}}}}',
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it("should refuse to change a Service's clusterIP", async () => {
    const r = await k('patch', 'svc', 'web', '--type=merge', '-p', '{"spec":{"clusterIP":"10.96.200.200"}}');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.200.200"}: may not change once set',
    );
  });

  it('should refuse a NodePort outside the range', async () => {
    const path = sut.file(
      'np.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 80}]\n',
    );
    const r = await k('apply', '-f', path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'The Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('should refuse to create in a namespace that does not exist', async () => {
    const r = await k('create', 'cm', 'x', '-n', 'nowhere');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: failed to create configmap: namespaces "nowhere" not found');
  });

  it.each(['default', 'kube-system', 'kube-public'])(
    'should refuse to delete the %s namespace',
    async (ns) => {
      const r = await k('delete', 'namespace', ns);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(
        `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted`,
      );
    },
  );

  it('should refuse an invalid name', async () => {
    const r = await k('create', 'cm', 'Bad_Name');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
  });

  it('should refuse invalid label keys and values', async () => {
    const path = sut.file(
      'labels.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lbl\n  labels: {app: "-bad"}\n',
    );
    const r = await k('apply', '-f', path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `The ConfigMap "lbl" is invalid: metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });

  it('should refuse a pod spec change other than the image', async () => {
    await k('run', 'fixed', '--image=busybox');
    const r = await k(
      'patch',
      'pod',
      'fixed',
      '-p',
      '{"spec":{"containers":[{"name":"fixed","command":["sh"]}]}}',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'The Pod "fixed" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`',
    );
  });
});
