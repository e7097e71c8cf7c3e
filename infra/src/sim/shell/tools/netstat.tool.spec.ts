import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { netstatTool } from './netstat.tool';

describe(netstatTool.name, () => {
  it('should list TCP listeners with PID/Program name for -tlnp', async () => {
    const sut = await execOnce(['netstat', '-tlnp']);

    expect(sut.stdout).toBe(
      'Active Internet connections (only servers)\n' +
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n' +
        'tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      1/agnhost\n' +
        'tcp        0      0 127.0.0.1:9090          0.0.0.0:*               LISTEN      1/agnhost\n',
    );
  });

  it('should include UDP sockets for -an', async () => {
    const sut = await execOnce(['netstat', '-an']);

    expect(sut.stdout.split('\n')).toEqual([
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       ',
      'tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN',
      'tcp        0      0 127.0.0.1:9090          0.0.0.0:*               LISTEN',
      'udp        0      0 0.0.0.0:8081            0.0.0.0:*',
      '',
    ]);
  });
});
