import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestModule } from 'vitest/node';
import SuiteSummaryReporter from './suite-summary.reporter';

type State = 'passed' | 'failed' | 'skipped';

function aModule(project: string, moduleState: State, tests: State[]): TestModule {
  const children = {
    size: tests.length,
    allTests: () => tests.map((state) => ({ result: () => ({ state }) })),
  };
  return { project: { name: project }, state: () => moduleState, children } as unknown as TestModule;
}

function closingLine(modules: TestModule[]): string {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  new SuiteSummaryReporter().onTestRunEnd(modules);
  const printed = String(log.mock.calls.at(-1)?.[0]);
  return printed.split('\n').at(-1) ?? '';
}

describe(SuiteSummaryReporter.name, () => {
  afterEach(() => vi.restoreAllMocks());

  it('should count passes, failures and skips apart', () => {
    expect(closingLine([aModule('a', 'failed', ['passed', 'failed', 'skipped'])])).toBe(
      '1 passed, 1 failed, 1 skipped',
    );
  });

  it('should count a file as failed when its beforeAll failed and its tests read as skipped', () => {
    expect(closingLine([aModule('a', 'failed', ['skipped', 'skipped'])])).toBe(
      '0 passed, 1 failed, 2 skipped',
    );
  });

  it('should count a file that failed to import as one failure', () => {
    expect(closingLine([aModule('a', 'failed', [])])).toBe('0 passed, 1 failed, 0 skipped');
  });
});
