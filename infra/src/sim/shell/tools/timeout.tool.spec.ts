import { describe, expect, it } from 'vitest';
import { execOnce, sh } from '../testing/shell-harness';
import { timeoutTool } from './timeout.tool';

describe(timeoutTool.name, () => {
  it('should kill a connection hanging on a drop and exit 143', async () => {
    expect(await sh('timeout 2 nc db 5432; echo "rc=$?"')).toEqual({
      code: 0,
      stdout: 'rc=143\n',
      stderr: '',
    });
  });

  it("should pass the program's own status through when it finishes in time", async () => {
    expect(await execOnce(['timeout', '5', 'curl', '-s', 'http://closed'])).toEqual({
      code: 7,
      stdout: '',
      stderr: '',
    });
  });

  it('should say so when the program does not exist', async () => {
    expect(await execOnce(['timeout', '1', 'bash'])).toEqual({
      code: 127,
      stdout: '',
      stderr: "timeout: can't execute 'bash': No such file or directory\n",
    });
  });
});

describe('which', () => {
  it('should print where programs are and fail for a missing one', async () => {
    expect(await sh('which curl nslookup sh bash')).toEqual({
      code: 1,
      stdout: '/usr/bin/curl\n/bin/nslookup\n/bin/sh\n',
      stderr: '',
    });
  });
});
