import { Terminal } from '@xterm/xterm';
import { describe, expect, it } from 'vitest';
import { type EchoClock, PredictiveEchoAddon } from './predictive-echo.addon';

/** A clock the test moves by hand. */
class ManualClock implements EchoClock {
  private t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.timers.set(this.next, { at: this.t + ms, fn });
    return this.next++;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number) {
    this.t += ms;
    for (const [h, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.t) continue;
      this.timers.delete(h);
      timer.fn();
    }
  }
}

const encode = (s: string) => new TextEncoder().encode(s);
const COLS = 40;

/** A real xterm.js terminal (headless in node: it parses and keeps the buffer, draws nothing). */
function newTerminal() {
  return new Terminal({ cols: COLS, rows: 8, scrollback: 100, allowProposedApi: true });
}

const settled = (t: Terminal) => new Promise<void>((resolve) => t.write('', resolve));

/** The whole buffer as text (trailing blanks trimmed) and where the cursor is. */
function screenOf(t: Terminal): string {
  const b = t.buffer.normal;
  const lines: string[] = [];
  for (let y = 0; y < b.length; y++) lines.push(b.getLine(y)!.translateToString(true).trimEnd());
  while (lines.length && lines.at(-1) === '') lines.pop();
  const a = t.buffer.active;
  return `${lines.join('\n')}\n[${a.type} cursor ${a.cursorX},${a.baseY + a.cursorY}]`;
}

type Step = { key: string } | { shell: string } | { wait: number } | { settle: true };

/**
 * Plays the same session on two terminals: one with the addon, where each key is also predicted,
 * and one without, which shows only what the shell sends. Returns both screens and what the
 * prediction drew ahead of the shell.
 */
async function play(steps: Step[]) {
  const clock = new ManualClock();
  const withEcho = newTerminal();
  const plain = newTerminal();
  const sut = new PredictiveEchoAddon(clock);
  withEcho.loadAddon(sut);
  sut.setActive(true);
  let predicted = '';
  let acks = 0;
  for (const step of steps) {
    if ('key' in step) {
      const before = sut.predicted;
      sut.input(step.key);
      if (sut.predicted > before) predicted += step.key;
    } else if ('shell' in step) {
      sut.write(encode(step.shell), () => acks++);
      plain.write(step.shell);
    } else if ('wait' in step) {
      clock.advance(step.wait);
    } else {
      await settled(withEcho);
    }
  }
  await Promise.all([settled(withEcho), settled(plain)]);
  const shellWrites = steps.filter((s) => 'shell' in s).length;
  expect(acks, 'every output write is acknowledged once it is on screen').toBe(shellWrites);
  return { sut, withEcho: screenOf(withEcho), plain: screenOf(plain), predicted };
}

/** Each char as a key, then (after xterm parsed it) the shell's verbatim echo. */
const typed = (text: string): Step[] =>
  [...text].flatMap((c): Step[] => [{ key: c }, { settle: true }, { shell: c }, { settle: true }]);

const PROMPT = 'learner@toolbox:~$ ';

/** A terminal with the addon, the prompt written (not yet parsed) and the session attached. */
function atPrompt(clock = new ManualClock()) {
  const term = newTerminal();
  const sut = new PredictiveEchoAddon(clock);
  term.loadAddon(sut);
  sut.write(encode(PROMPT), () => {});
  sut.setActive(true);
  return { term, sut };
}

describe(PredictiveEchoAddon.name, () => {
  it('should draw each key before its echo and end as without prediction when the shell echoes what was typed', async () => {
    const r = await play([
      { shell: PROMPT },
      { settle: true },
      ...typed('kubectl get pods'),
      { key: '\r' },
      { shell: '\r\nNAME   READY\r\nweb-1  1/1\r\n' + PROMPT },
    ]);
    expect(r.predicted).toBe('kubectl get pods');
    expect(r.withEcho).toBe(r.plain);
    expect(r.withEcho).toContain(`${PROMPT}kubectl get pods\nNAME   READY`);
  });

  it('should confirm keys typed faster than the round trip when their echo comes together', async () => {
    const r = await play([
      { shell: PROMPT },
      { settle: true },
      ...[...'echo hi'].map((key) => ({ key })),
      { settle: true },
      { shell: 'echo' },
      { settle: true },
      { shell: ' hi' },
      { key: '\r' },
      { shell: '\r\nhi\r\n' + PROMPT },
    ]);
    expect(r.predicted).toBe('echo hi');
    expect(r.sut.predicted).toBe(0);
    expect(r.withEcho).toBe(r.plain);
  });

  it('should not predict at a password prompt and end as without prediction', async () => {
    const r = await play([
      { shell: PROMPT },
      { settle: true },
      ...typed('sudo -k true'),
      { key: '\r' },
      { shell: '\r\n[sudo] password for learner: ' },
      { settle: true },
      ...[...'s3cret'].map((key): Step => ({ key })),
      { key: '\r' },
      { shell: '\r\n' + PROMPT },
    ]);
    expect(r.predicted).toBe('sudo -k true');
    expect(r.withEcho).toBe(r.plain);
  });

  it('should erase a key the shell does not echo, then stop predicting until a key is echoed again when echo is off', async () => {
    const r = await play([
      { shell: 'Token: ' }, // read -s: echo off, and a prompt the password pattern does not know
      { settle: true },
      { key: 't' },
      { settle: true },
      { wait: 2000 }, // no echo: the prediction is taken back
      { key: 'o' },
      { key: 'k' },
      { key: '\r' },
      { shell: '\r\n' + PROMPT },
      { settle: true },
      { key: 'l' }, // echo is back: this key is not drawn early, but its echo turns prediction on
      { shell: 'l' },
      { settle: true },
      ...typed('s'),
    ]);
    expect(r.predicted).toBe('ts');
    expect(r.withEcho).toBe(r.plain);
    expect(r.withEcho).toContain(`Token:\n${PROMPT}ls\n`);
  });

  it('should roll the predictions back before the output when the shell prints something else', async () => {
    const r = await play([
      { shell: PROMPT },
      { settle: true },
      { key: 'x' },
      { key: 'y' },
      { settle: true },
      { shell: 'x' },
      { shell: '\x07\r\nDisplay all 2000 possibilities? (y or n)' },
      { settle: true },
      { key: 'n' },
      { shell: '\r\n' + PROMPT + 'x' },
    ]);
    expect(r.predicted).toBe('xy');
    expect(r.withEcho).toBe(r.plain);
  });

  it('should end as without prediction when the learner deletes with backspace, before or after the echo', async () => {
    const r = await play([
      { shell: PROMPT },
      { settle: true },
      ...typed('ab'),
      { key: '\x7f' },
      { shell: '\b \b' },
      { settle: true },
      ...typed('c'), // after "\b \b" the cell right of the cursor holds a space: still the end
      { key: 'd' },
      { key: '\x7f' },
      { key: 'e' }, // not predicted: a key that was not is in between
      { shell: 'd\b\x1b[K' },
      { shell: 'e' },
    ]);
    expect(r.predicted).toBe('abcd');
    expect(r.withEcho).toBe(r.plain);
    expect(r.withEcho).toContain(`${PROMPT}ace\n`);
  });

  it('should not predict in a program on the alternate screen and end as without prediction', async () => {
    const r = await play([
      { shell: PROMPT },
      { settle: true },
      ...typed('less /etc/hosts'),
      { key: '\r' },
      { shell: '\r\n\x1b[?1049h\x1b[H\x1b[2J127.0.0.1 localhost\r\n:' },
      { settle: true },
      { key: 'j' },
      { key: 'q' },
      { shell: '\x1b[?1049l\r' + PROMPT },
    ]);
    expect(r.predicted).toBe('less /etc/hosts');
    expect(r.withEcho).toBe(r.plain);
  });

  it('should not predict when text is right of the cursor or the line is about to wrap', async () => {
    const long = 'x'.repeat(COLS - PROMPT.length - 1);
    const r = await play([
      { shell: PROMPT + 'kubectl' },
      { shell: '\x1b[4D' }, // the cursor moved left into the word
      { settle: true },
      { key: 'a' },
      { shell: 'a' + 'ctl' + '\x1b[3D' },
      { shell: '\r\n' + PROMPT + long },
      { settle: true },
      { key: 'y' }, // would go on the last column
      { shell: 'y' },
    ]);
    expect(r.predicted).toBe('');
    expect(r.withEcho).toBe(r.plain);
  });

  it('should not predict while output is still being parsed, while inactive or when turned off', async () => {
    const clock = new ManualClock();
    const { term, sut } = atPrompt(clock);
    sut.input('a'); // the prompt is not parsed yet: where the cursor is is unknown
    expect(sut.predicted).toBe(0);
    await settled(term);
    sut.setActive(false); // replaying, reconnecting or read-only
    sut.input('b');
    expect(sut.predicted).toBe(0);
    sut.setActive(true);
    sut.setEnabled(false);
    sut.input('c');
    expect(sut.predicted).toBe(0);
    sut.setEnabled(true);
    sut.input('d');
    expect(sut.predicted).toBe(1);
    sut.setActive(false); // the connection dropped: the echo will come in the replay, if at all
    await settled(term);
    expect(sut.predicted).toBe(0);
    expect(screenOf(term)).toBe(`${PROMPT.trimEnd()}\n[normal cursor ${PROMPT.length},0]`);
  });

  it('should take the predictions back when the terminal is resized', async () => {
    const { term, sut } = atPrompt();
    await settled(term);
    sut.input('a');
    await settled(term);
    term.resize(COLS - 10, 8);
    await settled(term);
    expect(sut.predicted).toBe(0);
    expect(screenOf(term)).toBe(`${PROMPT.trimEnd()}\n[normal cursor ${PROMPT.length},0]`);
  });

  it('should leave nothing of a queued prediction when the screen is reset', async () => {
    const { term, sut } = atPrompt();
    await settled(term);
    sut.input('a');
    sut.reset();
    term.reset();
    sut.write(encode('$ '), () => {});
    await settled(term);
    expect(sut.predicted).toBe(0);
    expect(screenOf(term)).toBe('$\n[normal cursor 2,0]');
    sut.input('b'); // and predicts again on the new screen
    await settled(term);
    expect(screenOf(term)).toBe('$ b\n[normal cursor 3,0]');
  });
});
