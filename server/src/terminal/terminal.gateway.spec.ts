import { afterEach, describe, expect, it } from 'vitest';
import { FrameType } from './terminal-frame.codec';
import { TerminalGateway } from './terminal.gateway';
import type { TerminalLimits } from './terminal-limits';
import { aUser, FakeShellConnector } from './testing/terminal-fakes';
import { TerminalTestClient, type UpgradeRefused } from './testing/terminal-test.client';
import { startTerminalTestServer, type TerminalTestServer } from './testing/terminal-test.server';

const ATTEMPT = '3f8a2c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const TARGET = {
  kubeconfig: 'unused by the fake',
  namespace: 'netlab',
  pod: 'toolbox',
  container: 'toolbox',
};

let sut: TerminalTestServer | undefined;
const clients: TerminalTestClient[] = [];

async function setup(limits: Partial<TerminalLimits> = {}) {
  const connector = new FakeShellConnector();
  sut = await startTerminalTestServer(connector, limits);
  const owner = sut.sessions.add(aUser('learner-1'));
  const other = sut.sessions.add(aUser('learner-2'));
  const instructor = sut.sessions.add(aUser('teacher-1', 'instructor'));
  sut.cohorts.supervises.set('teacher-1', new Set(['learner-1']));
  sut.targets.attempts.set(ATTEMPT, { ...TARGET, attemptId: ATTEMPT, ownerId: 'learner-1' });
  const connect = async (cookie: string | undefined, terminalId = 't1', origin = sut!.origin) => {
    const c = await TerminalTestClient.connect(sut!.url(ATTEMPT, terminalId), {
      origin,
      ...(cookie ? { cookie } : {}),
    });
    clients.push(c);
    return c;
  };
  return { connector, owner, other, instructor, connect, server: sut };
}

const refusal = (p: Promise<unknown>): Promise<UpgradeRefused> =>
  p.then(
    () => ({ status: 101, body: { code: 'UPGRADED', message: '' } }),
    (e: UpgradeRefused) => e,
  );

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await sut?.close();
  sut = undefined;
});

describe(TerminalGateway.name, () => {
  it('should refuse with an HTTP status before any exec when the caller may not attach', async () => {
    const { connector, other, instructor, owner, connect, server } = await setup();
    expect(await refusal(connect(undefined))).toEqual({
      status: 401,
      body: { code: 'UNAUTHENTICATED', message: 'sign in to open a terminal' },
    });
    expect(await refusal(connect(other))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await refusal(connect(owner, 't1', 'https://evil.example'))).toEqual({
      status: 403,
      body: {
        code: 'ORIGIN_NOT_ALLOWED',
        message:
          'Origin https://evil.example may not open terminals: open netlab at https://netlab.example.test',
      },
    });
    expect(await refusal(connect(owner, 'T1;rm'))).toMatchObject({
      status: 400,
      body: { message: 'terminal id "T1;rm" must be 1 to 32 of a-z, 0-9 and "-", e.g. t1' },
    });
    expect(await refusal(connect(instructor))).toMatchObject({
      status: 404,
      body: { code: 'TERMINAL_NOT_OPEN', message: 'the learner has no terminal t1 open now' },
    });
    const bogus = await refusal(
      TerminalTestClient.connect(server.url('not-a-uuid', 't1'), { origin: server.origin }),
    );
    expect(bogus.status).toBe(404);
    expect(connector.opened).toEqual([]);
  });

  it('should accept the public URL as Origin as well as the Host own', async () => {
    const { owner, connect } = await setup();
    const c = await connect(owner, 't1', 'https://netlab.example.test');
    expect(await c.hello()).toMatchObject({ state: 'attached' });
  });

  it('should open the shell at the HELLO size and pass keystrokes and resizes when the owner attaches', async () => {
    const { connector, owner, connect } = await setup();
    const c = await connect(owner);
    expect(await c.hello(0, { cols: 132, rows: 43 })).toEqual({
      state: 'attached',
      seq: 0,
      from: 0,
      resumed: true,
    });
    expect(connector.opened).toEqual([
      {
        target: { ...TARGET, attemptId: ATTEMPT, ownerId: 'learner-1', access: 'read-write' },
        size: { cols: 132, rows: 43 },
      },
    ]);
    const shell = connector.shells[0]!;
    c.type('ls\r');
    c.resize(100, 30);
    shell.emit('ls\r\nfile\r\n$ ');
    await c.waitFor('file\r\n$ ');
    await c.until(() => shell.typed.length === 1 && shell.sizes.length === 2, 5000, 'input and resize');
    expect(Buffer.concat(shell.typed).toString()).toBe('ls\r');
    expect(shell.sizes.at(-1)).toEqual({ cols: 100, rows: 30 });
  });

  it('should answer an error and keep the connection when a frame is invalid', async () => {
    const { owner, connect, connector } = await setup();
    const c = await connect(owner);
    await c.hello();
    c.resize(0, 99999);
    await c.until(() => c.errors.length === 1, 5000, 'an ERROR');
    expect(c.errors[0]).toEqual({
      code: 'BAD_RESIZE',
      message:
        'RESIZE needs { cols, rows } as whole numbers from 1 to 1000, got "{\\"cols\\":0,\\"rows\\":99999}"',
    });
    c.type('x');
    await c.until(() => connector.shells[0]!.typed.length === 1, 5000, 'the keystroke');
  });

  it('should close the connection when the first frame is not HELLO', async () => {
    const { owner, connect } = await setup();
    const c = await connect(owner);
    c.type('ls\r');
    await c.until(() => !!c.closed, 5000, 'the close');
    expect(c.errors).toEqual([{ code: 'HELLO_REQUIRED', message: 'the first frame must be HELLO' }]);
    expect(c.closed?.code).toBe(1008);
  });

  it('should show the instructor the output and refuse their keystrokes when they watch read-only', async () => {
    const { connector, owner, instructor, connect } = await setup();
    const learner = await connect(owner);
    await learner.hello();
    const shell = connector.shells[0]!;
    shell.emit('before\r\n');
    await learner.waitFor('before');
    const teacher = await connect(instructor);
    expect(await teacher.hello()).toMatchObject({ state: 'read-only', from: 0, resumed: true });
    shell.emit('after\r\n');
    await teacher.waitFor('before\r\nafter\r\n');
    teacher.type('rm -rf ~\r');
    teacher.resize(10, 10);
    await teacher.until(() => teacher.errors.length === 2, 5000, 'two ERRORs');
    expect(teacher.errors[0]).toEqual({
      code: 'READ_ONLY',
      message: 'you are watching this terminal read-only: only the learner who owns the attempt can type',
    });
    expect(shell.typed).toEqual([]);
    expect(shell.sizes).toEqual([]);
  });

  it('should pause the shell at the high watermark and send no more than the window when the client does not ACK', async () => {
    const { connector, owner } = await setup();
    const c = await TerminalTestClient.connect(sut!.url(ATTEMPT, 't1'), {
      cookie: owner,
      origin: sut!.origin,
      autoAck: false,
    });
    clients.push(c);
    await c.hello();
    const shell = connector.shells[0]!;
    const chunk = Buffer.alloc(16 * 1024, 0x79);
    let emitted = 0;
    while (!shell.paused && emitted < 8 * 1024 * 1024) {
      shell.emit(chunk);
      emitted += chunk.length;
    }
    expect(shell.paused).toBe(true);
    expect(emitted).toBe(128 * 1024);
    await c.until(() => c.rendered === 128 * 1024, 5000, 'the window to arrive');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.rendered).toBe(128 * 1024);
    c.ack();
    await c.until(() => !shell.paused, 5000, 'the shell to resume');
    expect(c.violations).toEqual([]);
  });

  it('should replay exactly the missed output when the owner reconnects', async () => {
    const { connector, owner, connect } = await setup();
    const first = await connect(owner);
    await first.hello();
    const shell = connector.shells[0]!;
    shell.emit('one ');
    await first.waitFor('one ');
    await first.close();
    shell.emit('two ');
    shell.emit('three');
    const second = await connect(owner);
    expect(await second.hello(first.rendered)).toEqual({
      state: 'attached',
      seq: 13,
      from: 4,
      resumed: true,
    });
    await second.waitFor('two three');
    expect(second.output).toBe('two three');
    expect(connector.opened).toHaveLength(1);
    expect(second.violations).toEqual([]);
  });

  it('should start a new shell and say so when the client resumes from an offset the shell never reached', async () => {
    const { owner, connect } = await setup();
    const c = await connect(owner);
    expect(await c.hello(5000)).toEqual({ state: 'attached', seq: 0, from: 0, resumed: false });
  });

  it('should strip the command-log marker, record the command and push it when the prompt hook prints one', async () => {
    const { connector, owner, connect, server } = await setup();
    const c = await connect(owner);
    await c.hello();
    const b64 = Buffer.from('kubectl get pods').toString('base64');
    connector.shells[0]!.emit(`No resources found\r\n\x1b]6973;1;${b64}\x07$ `);
    await c.waitFor('$ ');
    expect(c.output).toBe('No resources found\r\n$ ');
    await c.until(() => c.commands.length === 1, 5000, 'a COMMAND');
    expect(c.commands[0]).toMatchObject({ command: 'kubectl get pods', exitCode: 1 });
    expect(server.targets.commands).toEqual([
      { attemptId: ATTEMPT, terminalId: 't1', command: 'kubectl get pods', exitCode: 1 },
    ]);
  });

  it('should send the exit status and close when the shell exits', async () => {
    const { connector, owner, connect, server } = await setup();
    const c = await connect(owner);
    await c.hello();
    connector.shells[0]!.emit('logout\r\n');
    connector.shells[0]!.exit(3);
    await c.until(() => !!c.closed, 5000, 'the close');
    expect(c.output).toBe('logout\r\n');
    expect(c.statuses.at(-1)).toEqual({ state: 'exited', exitCode: 3, seq: 8 });
    expect(c.closed?.code).toBe(1000);
    expect(server.registry.list()).toEqual([]);
  });

  it('should close the shell after the grace period when nobody is connected', async () => {
    const { connector, owner, connect, server } = await setup({ graceMs: 300 });
    const c = await connect(owner);
    await c.hello();
    await c.close();
    await c.until(() => connector.shells[0]!.closed, 10_000, 'the shell to close');
    expect(server.registry.list()).toEqual([]);
  });

  it('should keep several terminals per attempt, each its own shell, up to the limit', async () => {
    const { connector, owner, connect } = await setup({ maxTerminalsPerAttempt: 2 });
    await (await connect(owner, 't1')).hello();
    await (await connect(owner, 't2')).hello();
    expect(connector.shells).toHaveLength(2);
    expect(await refusal(connect(owner, 't3'))).toMatchObject({
      status: 409,
      body: { code: 'TOO_MANY_TERMINALS' },
    });
  });

  it('should tell the client why when the exec into the toolbox fails', async () => {
    const { connector, owner, connect } = await setup();
    connector.failWith = new Error('pods "toolbox" not found');
    const c = await connect(owner);
    c.send(FrameType.HELLO, '{"resumeFrom":0}');
    await c.until(() => !!c.closed, 5000, 'the close');
    expect(c.errors).toEqual([
      {
        code: 'EXEC_FAILED',
        message:
          'the toolbox shell did not start: pods "toolbox" not found. Wait for the attempt to be ready, then reload',
      },
    ]);
    expect(c.closed?.code).toBe(1011);
  });
});
