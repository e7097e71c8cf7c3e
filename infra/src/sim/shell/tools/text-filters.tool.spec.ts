import { describe, expect, it } from 'vitest';
import { sh } from '../testing/shell-harness';
import { grepTool, headTool, tailTool, wcTool } from './text-filters.tool';

const LINES = 'printf "alpha\\nbeta\\ngamma\\nALPHA2\\n"';

describe(grepTool.name, () => {
  it.each([
    [`${LINES} | grep alpha`, 'alpha\n', 0],
    [`${LINES} | grep -i alpha`, 'alpha\nALPHA2\n', 0],
    [`${LINES} | grep -v a`, 'ALPHA2\n', 0],
    [`${LINES} | grep -c a`, '3\n', 0],
    [`${LINES} | grep -n gamma`, '3:gamma\n', 0],
    [`${LINES} | grep -E "^(beta|gamma)$"`, 'beta\ngamma\n', 0],
    [`${LINES} | grep "beta\\|gamma"`, 'beta\ngamma\n', 0],
    [`${LINES} | grep -q beta && echo found`, 'found\n', 0],
    [`${LINES} | grep zeta`, '', 1],
  ])('should filter: %s', async (script, stdout, code) => {
    expect(await sh(script)).toEqual({ code, stdout, stderr: '' });
  });
});

describe(headTool.name, () => {
  it.each([
    [`${LINES} | head -n 2`, 'alpha\nbeta\n'],
    [`${LINES} | head -1`, 'alpha\n'],
  ])('should keep the first lines: %s', async (script, stdout) => {
    expect((await sh(script)).stdout).toBe(stdout);
  });
});

describe(tailTool.name, () => {
  it('should keep the last lines', async () => {
    expect((await sh(`${LINES} | tail -n 1`)).stdout).toBe('ALPHA2\n');
  });
});

describe(wcTool.name, () => {
  it.each([
    [`${LINES} | wc -l`, '4\n'],
    ['echo one two | wc -w', '2\n'],
    ['curl -s http://web:8080 | wc -c', '15\n'],
  ])('should count: %s', async (script, stdout) => {
    expect((await sh(script)).stdout).toBe(stdout);
  });
});
