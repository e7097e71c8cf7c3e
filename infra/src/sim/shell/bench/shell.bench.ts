// Benchmark of the emulated shell: one-shot exec latency and the memory of idle interactive sessions.
// Run: npx tsx infra/src/sim/shell/bench/shell.bench.ts   (numbers go to infra/src/sim/shell/README.md)
import { PassThrough } from 'node:stream';
import { runShell } from '../run-shell';
import { settle, VirtualClock } from '../shell-clock';
import { fakeShellHost } from '../testing/fake-shell-host';
import { Capture } from '../testing/shell-harness';

const host = fakeShellHost();

function io(tty: boolean, stdin?: PassThrough) {
  return {
    stdin,
    stdout: new Capture(),
    stderr: new Capture(),
    tty,
    onResize: () => () => undefined,
    signal: new AbortController().signal,
  };
}

async function median(label: string, runs: number, fn: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: median ${times[Math.floor(runs / 2)]!.toFixed(3)} ms, p95 ${times[Math.floor(runs * 0.95)]!.toFixed(3)} ms (${runs} runs)`,
  );
}

const clock = new VirtualClock();
await median('exec curl -sS http://web:8080', 2000, () =>
  runShell(host, ['curl', '-sS', 'http://web:8080'], io(false), { clock }),
);
await median("exec sh -c 'nslookup web && curl -s web:8080 | grep -c hello'", 2000, () =>
  runShell(host, ['sh', '-c', 'nslookup web && curl -s web:8080 | grep -c hello'], io(false), { clock }),
);

// Keystroke to echo: one key through the decoder, the editor and the stream.
{
  const stdin = new PassThrough();
  const session = io(true, stdin);
  void runShell(host, ['sh'], session, { clock });
  await settle();
  await median('interactive keystroke echo', 2000, async () => {
    const before = session.stdout.text.length;
    stdin.write('x');
    while (session.stdout.text.length === before) await new Promise((r) => setImmediate(r));
  });
  stdin.end();
}

// Memory of idle interactive sessions (each waiting at its prompt).
{
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const sessions: PassThrough[] = [];
  for (let i = 0; i < 1000; i++) {
    const stdin = new PassThrough();
    sessions.push(stdin);
    void runShell(host, ['sh'], io(true, stdin), { clock });
  }
  await settle();
  global.gc?.();
  const per = (process.memoryUsage().heapUsed - before) / 1000;
  console.log(
    `idle interactive session: ${(per / 1024).toFixed(1)} KiB heap each (1000 sessions${global.gc ? ', after gc' : ', run with --expose-gc for a cleaner figure'})`,
  );
  for (const s of sessions) s.end();
}
process.exit(0);
