import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SessionScreen, type SessionState, TerminalSession } from './terminal-session';

/** A strict stand-in for the browser's WebSocket: records what the session sends, lets the test answer. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  sent: Uint8Array[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer | string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    FakeSocket.all.push(this);
  }
  send(frame: Uint8Array) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(frame);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  serverSends(frame: Uint8Array) {
    this.onmessage?.({
      data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer,
    });
  }
  /** The client frames as [type, decoded payload]. */
  frames(): [number, unknown][] {
    return this.sent.map((f) => [
      f[0]!,
      f[0] === 0
        ? new TextDecoder().decode(f.subarray(1))
        : JSON.parse(new TextDecoder().decode(f.subarray(1))),
    ]);
  }
}

const data = (offset: number, text: string) => {
  const body = new TextEncoder().encode(text);
  const f = new Uint8Array(9 + body.length);
  new DataView(f.buffer).setBigUint64(1, BigInt(offset));
  f.set(body, 9);
  return f;
};
const status = (s: object) => {
  const body = new TextEncoder().encode(JSON.stringify(s));
  const f = new Uint8Array(body.length + 1);
  f[0] = 0x10;
  f.set(body, 1);
  return f;
};
const error = (code: string) => {
  const body = new TextEncoder().encode(JSON.stringify({ code, message: `${code} happened` }));
  const f = new Uint8Array(body.length + 1);
  f[0] = 0x11;
  f.set(body, 1);
  return f;
};

function screen() {
  const shown: string[] = [];
  const states: SessionState[] = [];
  let resets = 0;
  const s: SessionScreen = {
    write: (bytes, rendered) => {
      shown.push(new TextDecoder().decode(bytes));
      rendered();
    },
    reset: () => {
      resets++;
      shown.length = 0;
    },
    onState: (st) => states.push(st),
  };
  return { s, shown, states, resets: () => resets };
}

describe(TerminalSession.name, () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  const make = (scr: SessionScreen) =>
    new TerminalSession(
      'ws://x/api/attempts/a/terminals/t1/ws',
      scr,
      (u, p) => new FakeSocket(u, p) as unknown as WebSocket,
    );

  it('should say hello with offset 0 and its size, then show output when it connects the first time', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.resize(120, 40);
    sut.connect();
    const ws = FakeSocket.all[0]!;
    expect(ws.protocol).toBe('netlab.terminal.v1');
    ws.open();
    expect(ws.frames()).toEqual([[0x03, { resumeFrom: 0, cols: 120, rows: 40 }]]);
    ws.serverSends(status({ state: 'attached', seq: 0, from: 0, resumed: true }));
    ws.serverSends(data(0, '$ '));
    expect(scr.shown.join('')).toBe('$ ');
    expect(scr.states.at(-1)).toEqual({ kind: 'attached', readOnly: false });
  });

  it('should resume from the bytes it has and drop a repeated overlap when the connection drops', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.connect();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.serverSends(data(0, 'hello '));
    FakeSocket.all[0]!.close();
    expect(scr.states.at(-1)).toMatchObject({ kind: 'reconnecting', tries: 1 });

    vi.runOnlyPendingTimers();
    const ws2 = FakeSocket.all[1]!;
    ws2.open();
    expect(ws2.frames()[0]).toEqual([0x03, { resumeFrom: 6 }]);
    ws2.serverSends(status({ state: 'attached', seq: 11, from: 3, resumed: true }));
    ws2.serverSends(data(3, 'lo world'));
    expect(scr.shown.join('')).toBe('hello world');
  });

  it('should clear the screen and start over when the server could not resume', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.connect();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.serverSends(data(0, 'old shell output'));
    FakeSocket.all[0]!.close();
    vi.runOnlyPendingTimers();
    const ws2 = FakeSocket.all[1]!;
    ws2.open();
    ws2.serverSends(status({ state: 'attached', seq: 2, from: 0, resumed: false }));
    ws2.serverSends(data(0, '$ '));
    expect(scr.resets()).toBe(1);
    expect(scr.shown.join('')).toBe('$ ');
  });

  it('should acknowledge what was rendered when output arrives', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.serverSends(status({ state: 'attached', seq: 0, from: 0, resumed: true }));
    ws.serverSends(data(0, 'x'.repeat(100)));
    vi.advanceTimersByTime(30);
    ws.serverSends(data(100, 'y'.repeat(20 * 1024)));
    const acks = ws.frames().filter(([t]) => t === 0x02);
    expect(acks).toEqual([
      [0x02, { seq: 100 }],
      [0x02, { seq: 100 + 20 * 1024 }],
    ]);
  });

  it('should keep typed input while reconnecting and send it once attached', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.connect();
    sut.send('ls\r');
    const ws = FakeSocket.all[0]!;
    ws.open();
    expect(ws.frames().filter(([t]) => t === 0x00)).toEqual([]);
    ws.serverSends(status({ state: 'attached', seq: 0, from: 0, resumed: true }));
    expect(ws.frames().filter(([t]) => t === 0x00)).toEqual([[0x00, 'ls\r']]);
  });

  it('should stop reconnecting and say why when the server refuses for good', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.serverSends(error('TOO_MANY_TERMINALS'));
    ws.close();
    vi.runAllTimers();
    expect(FakeSocket.all).toHaveLength(1);
    expect(scr.states.at(-1)).toEqual({ kind: 'failed', message: 'TOO_MANY_TERMINALS happened' });
  });

  it('should stop and show the exit code when the shell exits', () => {
    const scr = screen();
    const sut = make(scr.s);
    sut.connect();
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.serverSends(status({ state: 'exited', exitCode: 0, seq: 10 }));
    ws.close();
    vi.runAllTimers();
    expect(FakeSocket.all).toHaveLength(1);
    expect(scr.states.at(-1)).toEqual({ kind: 'exited', exitCode: 0 });
  });
});
