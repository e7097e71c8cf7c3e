import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type KubectlWorld } from './kubectl-harness';

/** The DESCRIPTION block of a `kubectl explain` answer, unwrapped into one line. */
function description(stdout: string): string {
  const block = /DESCRIPTION:\n([\s\S]*?)\n(?:FIELDS:|\s*$)/.exec(stdout)?.[1] ?? '';
  return block.replace(/\s+/g, ' ').trim();
}

describe.each([33, 30])('sim kubectl explain with kubectl 1.%i', { timeout: 60_000 }, (minor) => {
  let sut: KubectlWorld;
  beforeAll(async () => {
    sut = await startWorld({ minor });
  }, 30_000);
  afterAll(() => sut?.stop());

  it('should say what an empty selector means when explaining networkpolicy.spec.podSelector', async () => {
    const r = await sut.kubectl(['explain', 'networkpolicy.spec.podSelector']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FIELD: podSelector <LabelSelector>');
    const text = description(r.stdout);
    expect(text).toMatch(/^podSelector selects the pods to which this NetworkPolicy object applies\./);
    expect(text).toContain('An empty podSelector matches all pods in this namespace.');
    // Then the type's own text, as a real server's document gives both.
    expect(text).toContain('A label selector is a label query over a set of resources.');
  });

  it('should give each field of a type its own text when explaining networkpolicy.spec.ingress.from', async () => {
    const r = await sut.kubectl(['explain', 'networkpolicy.spec.ingress.from']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /namespaceSelector\t<LabelSelector>\n\s+namespaceSelector selects namespaces using cluster-scoped labels/,
    );
    expect(r.stdout).toMatch(
      /podSelector\t<LabelSelector>\n\s+podSelector is a label selector which selects pods/,
    );
    expect(r.stdout).not.toContain('<no description>');
  });

  it('should describe a field typed by another type by its role when explaining deployment.spec.selector', async () => {
    const r = await sut.kubectl(['explain', 'deployment.spec.selector']);
    expect(r.code).toBe(0);
    expect(description(r.stdout)).toMatch(
      /^Label selector for pods\. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment\./,
    );
  });

  it('should describe the kind and a typed field once each when explaining service.spec', async () => {
    const kind = await sut.kubectl(['explain', 'service']);
    expect(description(kind.stdout)).toMatch(/^Service is a named abstraction of software service/);
    const spec = await sut.kubectl(['explain', 'service.spec']);
    const text = description(spec.stdout);
    expect(text).toMatch(/^Spec defines the behavior of a service\./);
    expect(
      text.match(/ServiceSpec describes the attributes that a user creates on a service\./g),
    ).toHaveLength(1);
  });
});
