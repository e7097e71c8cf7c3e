import { describe, expect, it } from 'vitest';
import { ExecCommandRunner, RunError, formatArgv } from './command-runner';

async function rejection(promise: Promise<unknown>): Promise<RunError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RunError);
  return err as RunError;
}

describe(ExecCommandRunner.name, () => {
  const sut = new ExecCommandRunner();

  it('should return stdout and stderr and pass stdin when the command exits 0', async () => {
    const result = await sut.run(['sh', '-c', 'cat; echo err >&2'], { stdin: 'kind: Cluster\n' });

    expect(result).toEqual({ stdout: 'kind: Cluster\n', stderr: 'err\n' });
  });

  it('should keep argv, exit code and output when the command exits non-zero', async () => {
    const err = await rejection(sut.run(['sh', '-c', 'echo partial; echo "ERROR: no nodes" >&2; exit 3']));

    expect(err.argv).toEqual(['sh', '-c', 'echo partial; echo "ERROR: no nodes" >&2; exit 3']);
    expect(err.failure).toBe('exit');
    expect(err.exitCode).toBe(3);
    expect(err.stdout).toBe('partial\n');
    expect(err.stderr).toBe('ERROR: no nodes\n');
    expect(err.message).toBe(
      'command `sh -c \'echo partial; echo "ERROR: no nodes" >&2; exit 3\'` exited with code 3: ERROR: no nodes',
    );
  });

  it('should say the program is not on the PATH when it does not exist', async () => {
    const err = await rejection(sut.run(['netlab-no-such-tool', 'version']));

    expect(err.failure).toBe('not-found');
    expect(err.message).toContain('"netlab-no-such-tool" is not on the PATH');
  });

  it('should kill the command when it runs past its time limit', async () => {
    const err = await rejection(sut.run(['sleep', '30'], { timeoutMs: 50 }));

    expect(err.failure).toBe('timeout');
    expect(err.message).toContain('ran past its time limit');
  });

  it('should kill the command when the signal aborts', async () => {
    const controller = new AbortController();
    const running = sut.run(['sleep', '30'], { signal: controller.signal });
    controller.abort();

    expect((await rejection(running)).failure).toBe('aborted');
  });
});

describe(formatArgv.name, () => {
  it('should quote only the arguments a shell would split', () => {
    expect(formatArgv(['kind', 'get', 'kubeconfig', '--name', 'netlab-a'])).toBe(
      'kind get kubeconfig --name netlab-a',
    );
    expect(formatArgv(['docker', 'ps', '--format', '{{.Label "x"}}'])).toBe(
      `docker ps --format '{{.Label "x"}}'`,
    );
  });
});
