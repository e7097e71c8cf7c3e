import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeExecConnector } from './kube-exec.connector';
import type { ShellConnector } from './shell-connector';
import { TerminalGateway } from './terminal.gateway';
import { aUser } from './testing/terminal-fakes';
import { TerminalTestClient, type UpgradeRefused } from './testing/terminal-test.client';
import { startTerminalTestServer, type TerminalTestServer } from './testing/terminal-test.server';
import { startSimToolbox, type SimToolbox } from './testing/sim-toolbox';

// The gateway against a real sim cluster (its own process) and a real exec into the toolbox pod:
// a real bash with kubectl, the real PROMPT_COMMAND hook, real flow control over TCP.
const ATTEMPT = '9c0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';
const MiB = 1024 * 1024;

let sim: SimToolbox;
let server: TerminalTestServer;
let execs = 0;
let owner: string;
let other: string;
let instructor: string;
const clients: TerminalTestClient[] = [];
let terminalNo = 0;

async function connect(
  cookie: string,
  terminalId: string,
  extra: { autoAck?: boolean; keepOutput?: boolean; onData?: (b: Buffer) => void } = {},
) {
  const c = await TerminalTestClient.connect(server.url(ATTEMPT, terminalId), {
    cookie,
    origin: server.origin,
    ...extra,
  });
  clients.push(c);
  return c;
}

/** A fresh terminal of the owner at its first prompt. */
async function ownerShell(
  size = { cols: 120, rows: 40 },
  extra = {},
): Promise<{ c: TerminalTestClient; id: string }> {
  const id = `t${++terminalNo}`;
  const c = await connect(owner, id, extra);
  await c.hello(0, size);
  await c.waitFor('$ ', 60_000);
  return { c, id };
}

beforeAll(async () => {
  sim = await startSimToolbox('terminal-spec');
  const real = new KubeExecConnector();
  const counting: ShellConnector = {
    open: (...args) => {
      execs++;
      return real.open(...args);
    },
  };
  server = await startTerminalTestServer(counting, { maxTerminalsPerAttempt: 20 });
  owner = server.sessions.add(aUser('learner-1'));
  other = server.sessions.add(aUser('learner-2'));
  instructor = server.sessions.add(aUser('teacher-1', 'instructor'));
  server.cohorts.supervises.set('teacher-1', new Set(['learner-1']));
  server.targets.attempts.set(ATTEMPT, {
    attemptId: ATTEMPT,
    ownerId: 'learner-1',
    kubeconfig: sim.kubeconfig,
    namespace: sim.namespace,
    pod: sim.pod,
    container: sim.container,
  });
}, 180_000);

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  // Shells outlive their sockets; end them so the next test has the cluster's toolbox sessions.
  server.registry.closeAll();
  const deadline = Date.now() + 30_000;
  while (server.registry.list().length > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
}, 60_000);

afterAll(async () => {
  server?.registry.closeAll();
  await server?.close();
  await sim?.stop();
}, 60_000);

describe(`${TerminalGateway.name} on the sim`, () => {
  it('should show the pods when the learner types kubectl get pods', async () => {
    const { c } = await ownerShell();
    c.type('kubectl get pods\r');
    await c.waitFor(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\r\ntoolbox\s+1\/1\s+Running/, 60_000);
    expect(c.violations).toEqual([]);
  }, 120_000);

  it('should change stty size when the browser resizes', async () => {
    const { c } = await ownerShell({ cols: 80, rows: 24 });
    c.type('stty size\r');
    await c.waitFor('\r24 80\r\n', 30_000);
    c.resize(101, 37);
    await new Promise((r) => setTimeout(r, 300));
    c.type('stty size\r');
    await c.waitFor('\r37 101\r\n', 30_000);
  }, 120_000);

  it('should replay what the learner missed, without loss or duplication, when they reconnect mid-output', async () => {
    const { c: first, id } = await ownerShell();
    first.clearOutput();
    const start = first.rendered;
    first.type('seq 1 100000; echo seq-done\r');
    await first.until(() => first.rendered - start > 100_000, 60_000, '100 kB of output');
    await first.close();
    const missedFrom = first.rendered;
    await new Promise((r) => setTimeout(r, 500));
    const second = await connect(owner, id);
    expect(await second.hello(missedFrom)).toMatchObject({
      state: 'attached',
      from: missedFrom,
      resumed: true,
    });
    await second.waitFor(/seq-done\r\n/, 120_000);
    expect(second.violations).toEqual([]);
    const text = first.output + second.output;
    // Lines of digits only: the echoed command line and the prompts are not.
    const numbers = text
      .split('\r\n')
      .map((line) => line.replaceAll('\x1b[?2004l\r', '').replaceAll('\x1b[?2004h', ''))
      .filter((line) => /^\d+$/.test(line));
    expect(numbers.length).toBe(100_000);
    expect(numbers.every((n, i) => n === String(i + 1))).toBe(true);
  }, 180_000);

  it('should refuse another learner with 404 before any exec starts', async () => {
    const { id } = await ownerShell();
    const before = execs;
    const refused = await TerminalTestClient.connect(server.url(ATTEMPT, id), {
      cookie: other,
      origin: server.origin,
    }).then(
      () => undefined,
      (e: UpgradeRefused) => e,
    );
    expect(refused).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const newTerminal = await TerminalTestClient.connect(server.url(ATTEMPT, 'theirs'), {
      cookie: other,
      origin: server.origin,
    }).then(
      () => undefined,
      (e: UpgradeRefused) => e,
    );
    expect(newTerminal?.status).toBe(404);
    expect(execs).toBe(before);
  }, 120_000);

  it('should let the supervising instructor see the output but not type', async () => {
    const { c: learner, id } = await ownerShell();
    const teacher = await connect(instructor, id);
    expect(await teacher.hello(learner.rendered)).toMatchObject({ state: 'read-only', resumed: true });
    learner.type('echo watched-$((6*7))\r');
    await teacher.waitFor('watched-42', 30_000);
    teacher.type('echo hijacked\r');
    await teacher.until(() => teacher.errors.length > 0, 30_000, 'the refusal');
    expect(teacher.errors[0]?.code).toBe('READ_ONLY');
    learner.type('echo after-$((1+1))\r');
    await learner.waitFor('after-2', 30_000);
    expect(learner.output).not.toContain('hijacked');
    expect(teacher.output).not.toContain('hijacked');
  }, 120_000);

  it('should record every command line with its exit status and strip the markers when commands run', async () => {
    const { c, id } = await ownerShell();
    c.type('true\r');
    await c.until(() => c.commands.length >= 1, 30_000, 'the first COMMAND');
    c.type('false\r');
    await c.until(() => c.commands.length >= 2, 30_000, 'the second COMMAND');
    c.type('kubectl get ns default -o name\r');
    await c.until(() => c.commands.length >= 3, 60_000, 'the third COMMAND');
    c.type('(exit 7)\r');
    await c.until(() => c.commands.length >= 4, 30_000, 'the fourth COMMAND');
    c.type('\r');
    await new Promise((r) => setTimeout(r, 300));
    const logged = server.targets.commands
      .filter((e) => e.terminalId === id)
      .map(({ command, exitCode }) => ({ command, exitCode }));
    expect(logged).toEqual([
      { command: 'true', exitCode: 0 },
      { command: 'false', exitCode: 1 },
      { command: 'kubectl get ns default -o name', exitCode: 0 },
      { command: '(exit 7)', exitCode: 7 },
    ]);
    expect(c.commands.map((e) => e.command)).toEqual(logged.map((e) => e.command));
    expect(c.output).toContain('namespace/default');
    expect(c.output).not.toContain('6973');
  }, 120_000);

  it('should keep the server RSS bounded, other terminals responsive and the output intact when the shell floods a stalled, then a fast client', async () => {
    let partial = '';
    let badLines = 0;
    let floodBytes = 0;
    const check = (bytes: Buffer): void => {
      const lines = (partial + bytes.toString('latin1')).split('\r\n');
      partial = lines.pop()!;
      for (const l of lines) {
        if (l === 'flood') floodBytes += 7;
        else if (floodBytes > 0 && !l.includes('^C')) badLines++;
      }
    };
    const { c, id } = await ownerShell(undefined, { autoAck: false, keepOutput: false, onData: check });
    c.ack();
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    try {
      c.type('yes flood\r');
      // A stalled browser: nothing is acknowledged for 3 s while `yes` runs.
      await new Promise((r) => setTimeout(r, 3000));
      const session = server.registry.get({ attemptId: ATTEMPT, terminalId: id })!;
      expect(c.unacked).toBeLessThanOrEqual(128 * 1024);
      expect(session.paused).toBe(true);
      // Another terminal of the attempt answers meanwhile.
      const { c: other } = await ownerShell();
      other.type('echo other-$((2+3))\r');
      await other.waitFor('other-5', 30_000);
      // A fast browser: ACK on every frame for 3 s.
      const t0 = Date.now();
      const from = c.rendered;
      const fast = setInterval(() => c.unacked > 0 && c.ack(), 1);
      c.ack();
      await new Promise((r) => setTimeout(r, 3000));
      clearInterval(fast);
      const mibPerS = (c.rendered - from) / MiB / ((Date.now() - t0) / 1000);
      c.type('\x03');
      c.ack();
      const stop = setInterval(() => c.ack(), 5);
      await c
        .until(() => partial.includes('$ '), 60_000, 'the prompt after Ctrl-C')
        .finally(() => clearInterval(stop));
      console.log(
        `flood: ${mibPerS.toFixed(1)} MiB/s through the gateway, RSS +${((peak - baseline) / MiB).toFixed(1)} MiB`,
      );
      expect(mibPerS).toBeGreaterThan(0.5);
      expect(floodBytes).toBeGreaterThan(4 * MiB);
    } finally {
      clearInterval(sampler);
    }
    expect(badLines).toBe(0);
    expect(c.violations).toEqual([]);
    expect(peak - baseline).toBeLessThan(64 * MiB);
  }, 180_000);
});
