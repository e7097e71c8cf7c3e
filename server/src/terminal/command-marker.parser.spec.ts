import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandMarkerParser, type CommandMarker } from './command-marker.parser';

const marker = (command: string, exitCode: number, st = false): Buffer =>
  Buffer.from(
    `\x1b]6973;${exitCode};${Buffer.from(command, 'utf8').toString('base64')}${st ? '\x1b\\' : '\x07'}`,
    'latin1',
  );

/** Feeds the chunks in order, then flushes; returns what a client would see and what was logged. */
function run(chunks: Buffer[]): { output: Buffer; markers: CommandMarker[] } {
  const sut = new CommandMarkerParser();
  const out: Buffer[] = [];
  const markers: CommandMarker[] = [];
  for (const c of chunks) {
    const r = sut.feed(c);
    out.push(r.output);
    markers.push(...r.markers);
  }
  out.push(sut.flush());
  return { output: Buffer.concat(out), markers };
}

/** Splits a buffer at the given cut points. */
function cut(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(buf.subarray(prev, p));
    prev = p;
  }
  parts.push(buf.subarray(prev));
  return parts;
}

describe(CommandMarkerParser.name, () => {
  it('should strip a marker and report the command and exit status when it sits between output and prompt', () => {
    const sut = new CommandMarkerParser();
    const r = sut.feed(
      Buffer.concat([
        Buffer.from('No resources found\r\n'),
        marker('kubectl get pods', 0),
        Buffer.from('$ '),
      ]),
    );
    expect(r.output.toString()).toBe('No resources found\r\n$ ');
    expect(r.markers).toEqual([{ command: 'kubectl get pods', exitCode: 0 }]);
  });

  it('should accept the ST terminator and non-ASCII command lines when the marker ends with ESC backslash', () => {
    const r = run([marker('echo héllo | grep -c x', 1, true)]);
    expect(r.output.length).toBe(0);
    expect(r.markers).toEqual([{ command: 'echo héllo | grep -c x', exitCode: 1 }]);
  });

  it('should hold a marker split across chunks and strip it when the rest arrives', () => {
    const sut = new CommandMarkerParser();
    const m = marker('ls', 2);
    const a = sut.feed(Buffer.concat([Buffer.from('out'), m.subarray(0, 3)]));
    expect(a.output.toString()).toBe('out');
    expect(sut.holding).toBe(true);
    const b = sut.feed(Buffer.concat([m.subarray(3), Buffer.from('$ ')]));
    expect(b.output.toString()).toBe('$ ');
    expect(b.markers).toEqual([{ command: 'ls', exitCode: 2 }]);
  });

  it('should pass other escape sequences through untouched when they are not the netlab OSC', () => {
    const text = '\x1b[1;32mgreen\x1b[0m \x1b]0;title\x07 \x1b]697;x\x07 \x1b]69731;y\x07';
    expect(run([Buffer.from(text, 'latin1')]).output.toString('latin1')).toBe(text);
  });

  it('should give back an unterminated look-alike as output when it grows past the size limit', () => {
    const fake = Buffer.concat([Buffer.from('\x1b]6973;0;', 'latin1'), Buffer.alloc(9000, 0x41)]);
    const r = run([fake.subarray(0, 100), fake.subarray(100)]);
    expect(r.output.equals(fake)).toBe(true);
    expect(r.markers).toEqual([]);
  });

  it('should give back held bytes on flush when no more output comes', () => {
    const sut = new CommandMarkerParser();
    expect(sut.feed(Buffer.from('vim\x1b', 'latin1')).output.toString()).toBe('vim');
    expect(sut.flush().toString('latin1')).toBe('\x1b');
    expect(sut.holding).toBe(false);
  });

  it('should strip a malformed netlab marker without logging it when its body is not status;base64', () => {
    const r = run([Buffer.from('a\x1b]6973;oops\x07b', 'latin1')]);
    expect(r.output.toString()).toBe('ab');
    expect(r.markers).toEqual([]);
  });

  it('should return the output without markers, and every marker in order, whatever the chunking', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => ({ out: Buffer.from(b), m: undefined })),
      fc
        .record({ command: fc.string({ maxLength: 60 }), exitCode: fc.integer({ min: 0, max: 255 }) })
        .map((m) => ({ out: undefined, m })),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (pieces, cuts) => {
          // Random output bytes may themselves begin a marker; keep ESC out of them so the expectation is exact.
          const outs: Array<Buffer | undefined> = pieces.map((p) =>
            p.out ? Buffer.from(p.out.map((b) => (b === 0x1b ? 0x1a : b))) : undefined,
          );
          const stream = Buffer.concat(pieces.map((p, i) => outs[i] ?? marker(p.m!.command, p.m!.exitCode)));
          const r = run(cut(stream, cuts));
          expect(r.output.equals(Buffer.concat(outs.filter((o): o is Buffer => !!o)))).toBe(true);
          expect(r.markers).toEqual(
            pieces
              .filter((p) => p.m)
              .map((p) => ({
                command: Buffer.from(p.m!.command, 'utf8').toString('utf8'),
                exitCode: p.m!.exitCode,
              })),
          );
        },
      ),
    );
  });

  it('should lose no byte of arbitrary output when it contains escapes and partial look-alikes', () => {
    const noisy = fc.array(
      fc.oneof(
        fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
        fc
          .constantFrom('\x1b', '\x1b]', '\x1b]69', '\x1b]6973', '\x1b\\', '\x07')
          .map((s) => Buffer.from(s, 'latin1')),
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(noisy, fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
        const stream = Buffer.concat(parts);
        // Without a complete `ESC ] 6973 ;` nothing may be removed.
        fc.pre(!stream.includes(Buffer.from('\x1b]6973;', 'latin1')));
        expect(run(cut(stream, cuts)).output.equals(stream)).toBe(true);
      }),
    );
  });
});
