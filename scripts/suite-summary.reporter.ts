import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints pass/fail/skip counts per suite (vitest project) and a closing `N passed, N failed` line,
 * so CI logs show each package's result at a glance. Skips are counted apart, never as passes.
 */
export default class SuiteSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const suites = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const module of testModules) {
      const name = module.project.name || 'root';
      const counts = suites.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') failedTests++;
        else counts.skipped++;
      }
      // A file that failed outside its tests (import error, a failing beforeAll whose tests then
      // read as skipped) is one failure, never a clean run.
      counts.failed += module.state() === 'failed' && failedTests === 0 ? 1 : failedTests;
      suites.set(name, counts);
    }
    const total = { passed: 0, failed: 0, skipped: 0 };
    const lines = ['', 'Suites:'];
    for (const [name, c] of [...suites].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${name.padEnd(8)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
    }
    const closing = `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
    lines.push('', closing);
    console.log(lines.join('\n'));
    // .ci/run prints this again as its last line, after the steps that follow the tests.
    if (process.env.NETLAB_SUMMARY_FILE) appendFileSync(process.env.NETLAB_SUMMARY_FILE, `${closing}\n`);
  }
}
