import { LabDefinition, type LoadedLab } from '@netlab/labs';

/** A loaded lab with these checks (given as in lab.yaml) and these manifests, for tests. */
export function labWith(
  checks: unknown[],
  manifests: LoadedLab['manifests'] = {},
  extra: Record<string, unknown> = {},
): LoadedLab {
  const definition = LabDefinition.parse({
    id: 'test-lab',
    title: 'Test lab',
    summary: 'A lab made by a test factory.',
    difficulty: 'beginner',
    estimatedMinutes: 5,
    steps: ['steps/01-a.md'],
    setup: [{ apply: 'manifests/app.yaml' }],
    fault: { summary: 'broken' },
    checks,
    hints: [{ text: 'look' }],
    solution: { commands: ['fix'], actions: [{ apply: 'manifests/app.yaml' }] },
    debrief: { file: 'debrief.md', links: [{ title: 'docs', url: 'https://kubernetes.io/docs/' }] },
    ...extra,
  });
  return {
    dir: '/labs/test-lab',
    seed: 'seed',
    parameters: {},
    definition,
    steps: [],
    manifests,
    debrief: '',
  };
}
