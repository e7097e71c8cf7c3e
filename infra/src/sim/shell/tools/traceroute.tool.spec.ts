import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { tracerouteTool } from './traceroute.tool';

describe(tracerouteTool.name, () => {
  it('should show the node as hop 1 and the pod as hop 2', async () => {
    const sut = await execOnce(['traceroute', '10.96.0.30']);

    expect(sut).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'traceroute to 10.96.0.30 (10.96.0.30), 30 hops max, 46 byte packets\n' +
        ' 1  10.244.1.1 (10.244.1.1)  0.025 ms  0.028 ms  0.031 ms\n' +
        ' 2  10.96.0.30 (10.96.0.30)  0.046 ms  0.049 ms  0.052 ms\n',
    });
  });

  it('should get no answer past the node for a Service VIP', async () => {
    const sut = await execOnce(['traceroute', '-m', '3', 'web']);

    expect(sut.stdout).toBe(
      'traceroute to web (10.96.0.20), 3 hops max, 46 byte packets\n' +
        ' 1  10.244.1.1 (10.244.1.1)  0.025 ms  0.028 ms  0.031 ms\n' +
        ' 2  * * *\n' +
        ' 3  * * *\n',
    );
  });
});
