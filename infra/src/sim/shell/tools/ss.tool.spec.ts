import { describe, expect, it } from 'vitest';
import { execOnce } from '../testing/shell-harness';
import { ssTool } from './ss.tool';

describe(ssTool.name, () => {
  it('should list TCP listeners with their process for -ltnp', async () => {
    const sut = await execOnce(['ss', '-ltnp']);

    expect(sut.stdout).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' +
        'LISTEN 0      4096         0.0.0.0:8080      0.0.0.0:*    users:(("agnhost",pid=1,fd=3))\n' +
        'LISTEN 0      4096       127.0.0.1:9090      0.0.0.0:*    users:(("agnhost",pid=1,fd=3))\n',
    );
  });

  it('should list UDP sockets for -lun', async () => {
    const sut = await execOnce(['ss', '-lun']);

    expect(sut.stdout).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nUNCONN 0      0            0.0.0.0:8081      0.0.0.0:*\n',
    );
  });

  it('should show only the header without -l: the sim has no established connections', async () => {
    const sut = await execOnce(['ss', '-tn']);

    expect(sut.stdout).toBe('State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n');
  });
});
