import { describe, expect, it } from 'vitest';
import { copyExampleLab } from '../../test/lab-fixture';
import { formatProblem } from '../errors';
import { CATALOG_DIR } from './catalog';
import { loadLab, loadLabOrThrow } from './lab-loader';

/** The example lab's setup with a capture of its Pod's IP after the apply. */
const CAPTURE = `setup:
  - apply: manifests/app.yaml
  - capture:
      target: { kind: Pod, namespace: '{{ ns }}', labels: { app: '{{ app }}' } }
      jsonPath: '{.status.podIP}'
      as: podIP
`;

function problemsOf(dir: string): string[] {
  const result = loadLab(dir);
  if (result.ok) throw new Error('expected the lab to be invalid');
  return result.problems.map(formatProblem);
}

describe(loadLab.name, () => {
  it('should load the example lab with its steps, manifests and debrief rendered', () => {
    const lab = loadLabOrThrow(`${CATALOG_DIR}/example-hello`, { seed: 'learner-42' });
    const { ns, app } = lab.parameters;
    expect(lab.definition.id).toBe('example-hello');
    expect(lab.steps.map((s) => s.title)).toEqual(['Look around', 'Make it answer again']);
    expect(lab.steps[0]!.markdown).toContain(`kubectl -n ${ns} get`);
    expect(lab.manifests['manifests/app.yaml']!.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `Namespace/${ns}`,
      `Deployment/${app}`,
      `Service/${app}`,
      'Deployment/client',
    ]);
    expect(lab.definition.checks[0]).toMatchObject({
      type: 'endpoints',
      service: { namespace: ns, name: app },
    });
    expect(lab.debrief).toContain('endpoints');
  });

  it('should render the same lab for the same seed and a different one for another seed', () => {
    const dir = `${CATALOG_DIR}/example-hello`;
    expect(loadLabOrThrow(dir, { seed: 'a' }).parameters).toEqual(
      loadLabOrThrow(dir, { seed: 'a' }).parameters,
    );
    const many = new Set(
      ['a', 'b', 'c', 'd', 'e'].map((seed) => JSON.stringify(loadLabOrThrow(dir, { seed }).parameters)),
    );
    expect(many.size).toBeGreaterThan(1);
  });

  it.each([
    [
      'an unknown check type',
      'lab.yaml',
      (t: string) => t.replace('type: endpoints', 'type: htpp'),
      /lab\.yaml:\d+ checks\[0\]\.type: "htpp" is not one of endpoints\|http\|tcp\|dns\|resource\|nodes-ready\|pods-ready\|script/,
    ],
    [
      'a missing title',
      'lab.yaml',
      (t: string) => t.replace(/^title: .*\n/m, ''),
      /lab\.yaml:\d+ title: is required \(expected string\)/,
    ],
    [
      'a manifest that is not YAML',
      'manifests/app.yaml',
      (t: string) => `${t}\n---\nkind: [unclosed\n`,
      /manifests\/app\.yaml:\d+: not valid YAML/,
    ],
    [
      'a parameter used but not declared',
      'manifests/app.yaml',
      (t: string) => t.replace('replicas: 2', 'replicas: {{ count }}'),
      /manifests\/app\.yaml:14: parameter "count" is used but not declared under parameters \(declared: ns, app, port, word\)/,
    ],
    [
      'a step file that does not exist',
      'lab.yaml',
      (t: string) => t.replace('steps/02-fix.md', 'steps/09-gone.md'),
      /lab\.yaml:\d+ steps\[1\]: file "steps\/09-gone\.md" does not exist in the lab folder/,
    ],
    [
      'an unknown field',
      'lab.yaml',
      (t: string) => t.replace('difficulty: beginner', 'difficulty: beginner\nlevel: 3'),
      /lab\.yaml:\d+ level: unknown field "level"/,
    ],
    [
      'a port out of range',
      'lab.yaml',
      (t: string) => t.replace('type: http\n', 'type: tcp\n    host: x\n    port: 70000\n'),
      /checks\[1\]\.port: 70000: expected a port from 1 to 65535/,
    ],
    [
      'a bad duration',
      'lab.yaml',
      (t: string) => t.replace('minReady: 1', 'minReady: 1\n    timeout: 10 seconds'),
      /checks\[0\]\.timeout: "10 seconds": expected a duration/,
    ],
    [
      'an object without a kind',
      'manifests/app.yaml',
      (t: string) => t.replace('kind: Service\n', ''),
      /manifests\/app\.yaml document 3: a Kubernetes object needs kind/,
    ],
    [
      'a bypass caught by no such check',
      'lab.yaml',
      (t: string) =>
        t.replace(
          'hints:',
          'bypasses:\n  - id: b\n    description: d\n    actions: [{ apply: manifests/app.yaml }]\n    caughtBy: [nope]\nhints:',
        ),
      /bypasses\[0\]\.caughtBy\[0\]: "nope" is not the id of a check/,
    ],
    [
      'a lab.yaml that is not YAML',
      'lab.yaml',
      (t: string) => `${t}\nsteps: [oops\n`,
      /lab\.yaml:\d+: not valid YAML/,
    ],
    [
      'a captured value used in another list than the one that captures it',
      'lab.yaml',
      (t: string) =>
        t
          .replace('setup:\n  - apply: manifests/app.yaml\n', CAPTURE)
          .replace(
            'patch: { spec: { replicas: 0 } }',
            "patch: { metadata: { annotations: { ip: '{{ podIP }}' } } }",
          ),
      /lab\.yaml:\d+ fault\.actions\[0\]: uses \{\{ podIP \}\}, which no capture action before it in fault\.actions sets \(it is captured in setup\); a captured value is usable only by later actions of the same list/,
    ],
    [
      'a capture target with both a name and labels',
      'lab.yaml',
      (t: string) =>
        t.replace(
          'setup:\n  - apply: manifests/app.yaml\n',
          CAPTURE.replace('labels: {', 'name: x, labels: {'),
        ),
      /setup\[1\]\.capture\.target: .*: give the target either a name or labels \(not both, not neither\)/,
    ],
    [
      'a capture named like a parameter',
      'lab.yaml',
      (t: string) =>
        t.replace('setup:\n  - apply: manifests/app.yaml\n', CAPTURE.replace('as: podIP', 'as: port')),
      /setup\[1\]\.capture\.as: "port" is also a parameter; give the captured value another name/,
    ],
  ])('should report %s', (_what, file, change, expected) => {
    const lab = copyExampleLab();
    lab.edit(file, change);
    expect(problemsOf(lab.dir)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('should report every problem at once, not just the first', () => {
    const lab = copyExampleLab();
    lab.edit('lab.yaml', (t) =>
      t
        .replace(/^title: .*\n/m, '')
        .replace('type: endpoints', 'type: htpp')
        .replace('steps/02-fix.md', 'steps/09-gone.md'),
    );
    lab.edit('manifests/app.yaml', (t) => t.replace('replicas: 2', 'replicas: {{ count }}'));
    expect(problemsOf(lab.dir)).toHaveLength(4);
  });

  it("should keep a captured value's placeholder for the runner when a later action of the same list uses it", () => {
    const lab = copyExampleLab();
    lab.edit('lab.yaml', (t) =>
      t.replace(
        'setup:\n  - apply: manifests/app.yaml\n',
        "setup:\n  - capture:\n      target: { kind: Node, name: lab-worker }\n      jsonPath: '{.spec.podCIDR}'\n      as: cidr\n  - apply: manifests/app.yaml\n",
      ),
    );
    lab.edit('manifests/app.yaml', (t) =>
      t.replace(/(kind: Service\nmetadata:\n)/, "$1  annotations: { cidr: '{{ cidr }}' }\n"),
    );
    const loaded = loadLabOrThrow(lab.dir);
    const service = loaded.manifests['manifests/app.yaml']!.find((o) => o.kind === 'Service')!;
    expect(service.metadata.annotations).toEqual({ cidr: '{{ cidr }}' });
    expect(loaded.definition.setup[0]).toEqual({
      capture: {
        target: { kind: 'Node', name: 'lab-worker' },
        jsonPath: '{.spec.podCIDR}',
        as: 'cidr',
        timeout: '30s',
      },
    });
  });

  it('should say when a folder holds no lab.yaml', () => {
    expect(problemsOf('/nonexistent/lab')).toEqual([expect.stringMatching(/lab\.yaml: no lab\.yaml here/)]);
  });
});
