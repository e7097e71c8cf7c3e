import type { GradeReport } from '@netlab/grader';
import { LabDefinition, type LoadedLab } from '@netlab/labs';
import { describe, expect, it } from 'vitest';
import { compareAfterBypass, compareAfterFault, compareAfterSolution } from './expectations';

const lab = {
  definition: LabDefinition.parse({
    id: 'l',
    title: 'Lab',
    summary: 'A lab for the expectations spec.',
    difficulty: 'beginner',
    estimatedMinutes: 5,
    steps: ['steps/01-a.md'],
    setup: [{ apply: 'manifests/a.yaml' }],
    fault: { summary: 'broken' },
    checks: [
      {
        id: 'eps',
        title: 'eps',
        type: 'endpoints',
        service: { namespace: 'a', name: 'b' },
        afterFault: { result: 'fail', diagnosisIncludes: 'tier=api' },
      },
      { id: 'nodes', title: 'nodes', type: 'nodes-ready' },
    ],
    hints: [{ text: 'h' }],
    solution: { commands: ['c'], actions: [{ apply: 'manifests/a.yaml' }] },
    bypasses: [{ id: 'by', description: 'd', actions: [{ apply: 'manifests/a.yaml' }], caughtBy: ['eps'] }],
    debrief: { file: 'debrief.md', links: [{ title: 't', url: 'https://kubernetes.io/docs/' }] },
  }),
} as LoadedLab;

function report(...checks: [string, 'pass' | 'fail' | 'error', string?][]): GradeReport {
  return {
    labId: 'l',
    seed: 's',
    passed: checks.every((c) => c[1] === 'pass'),
    startedAt: new Date(0),
    durationMs: 1,
    checks: checks.map(([id, status, diagnosis]) => ({
      id,
      title: id,
      type: 'endpoints',
      status,
      evidence: `${id} seen`,
      diagnosis,
      durationMs: 1,
      attempts: 1,
    })),
  };
}

describe(compareAfterFault.name, () => {
  it('should accept checks that fail and pass as declared, with the expected diagnosis', () => {
    expect(
      compareAfterFault(lab, report(['eps', 'fail', 'Service a/b selects tier=api'], ['nodes', 'pass'])),
    ).toEqual([]);
  });

  it.each([
    [report(['eps', 'pass'], ['nodes', 'pass']), 'eps: expected fail under the fault, got pass (eps seen)'],
    [
      report(['eps', 'fail', 'something else'], ['nodes', 'pass']),
      'eps: diagnosis should include "tier=api", was "something else"',
    ],
    [
      report(['eps', 'fail', 'tier=api'], ['nodes', 'fail']),
      'nodes: expected pass under the fault, got fail (nodes seen)',
    ],
    [report(['eps', 'error'], ['nodes', 'pass']), 'eps: could not run: eps seen'],
  ])('should report each deviation', (graded, deviation) => {
    expect(compareAfterFault(lab, graded)).toEqual([deviation]);
  });
});

describe(compareAfterSolution.name, () => {
  it('should require every check to pass', () => {
    expect(compareAfterSolution(report(['eps', 'pass'], ['nodes', 'fail', 'node x NotReady']))).toEqual([
      'nodes: expected pass after the solution, got fail (nodes seen; node x NotReady)',
    ]);
  });
});

describe(compareAfterBypass.name, () => {
  const bypass = lab.definition.bypasses[0]!;
  it('should accept a bypass that its guard catches', () => {
    expect(compareAfterBypass(bypass, report(['eps', 'fail'], ['nodes', 'pass']))).toEqual([]);
  });
  it('should report a bypass that slips through', () => {
    expect(compareAfterBypass(bypass, report(['eps', 'pass'], ['nodes', 'pass']))).toEqual([
      'eps: should catch the bypass but got pass (eps seen)',
    ]);
  });
});
