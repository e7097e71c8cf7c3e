/** A command-log entry the toolbox shell's PROMPT_COMMAND hook reported. */
export interface CommandMarker {
  command: string;
  /** The command's exit status, 0–255. */
  exitCode: number;
}

/** What one chunk of shell output holds once the markers are taken out. */
export interface ParsedOutput {
  /** The output to show, markers removed. */
  output: Buffer;
  markers: CommandMarker[];
}

const ESC = 0x1b;
const BEL = 0x07;
const PREFIX = Buffer.from('\x1b]6973;', 'latin1');
/** A hook marker's body is at most 4096 command bytes in base64 plus the status; longer is not ours. */
const MAX_BODY = 8192;
const BODY = /^(\d{1,3});([A-Za-z0-9+/]*={0,2})$/;

/**
 * Takes the command-log markers out of a shell's output stream: `ESC ] 6973 ; <status> ; <base64
 * command> BEL` (or ST), printed by infra/images/toolbox/command-log.bash before each prompt. A
 * marker may be split across chunks: a chunk ending inside one is held back until the rest comes
 * (or {@link flush}). Anything that only looks like a marker (too long, unterminated) is output.
 */
export class CommandMarkerParser {
  private held: Buffer = Buffer.alloc(0);

  /** Whether bytes are held back waiting for the end of a possible marker. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  /** Parses the next chunk. */
  feed(chunk: Buffer): ParsedOutput {
    const buf = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    const out: Buffer[] = [];
    const markers: CommandMarker[] = [];
    let emitted = 0;
    let at = buf.indexOf(ESC);
    while (at !== -1) {
      const avail = Math.min(PREFIX.length, buf.length - at);
      if (buf.compare(PREFIX, 0, avail, at, at + avail) !== 0) {
        at = buf.indexOf(ESC, at + 1);
        continue;
      }
      if (avail < PREFIX.length) {
        this.hold(buf, at);
        break;
      }
      const end = terminator(buf, at + PREFIX.length);
      if (end === 'more') {
        this.hold(buf, at);
        break;
      }
      if (end === 'invalid') {
        at = buf.indexOf(ESC, at + 1);
        continue;
      }
      const marker = parseBody(buf.subarray(at + PREFIX.length, end.body));
      if (at > emitted) out.push(buf.subarray(emitted, at));
      if (marker) markers.push(marker);
      emitted = end.next;
      at = buf.indexOf(ESC, emitted);
    }
    const stop = this.held.length ? buf.length - this.held.length : buf.length;
    if (stop > emitted) out.push(buf.subarray(emitted, stop));
    return { output: out.length === 1 ? out[0]! : Buffer.concat(out), markers };
  }

  /** Gives back what is held as plain output (no more output came to complete it). */
  flush(): Buffer {
    const held = this.held;
    this.held = Buffer.alloc(0);
    return held;
  }

  private hold(buf: Buffer, from: number): void {
    this.held = Buffer.from(buf.subarray(from));
  }
}

/**
 * Where the marker body ends (BEL, or ST: ESC backslash) and where the output resumes; `more` when the buffer
 * ends first (within the size limit), `invalid` when something else interrupts it or it is too long.
 */
function terminator(buf: Buffer, from: number): { body: number; next: number } | 'more' | 'invalid' {
  const limit = Math.min(buf.length, from + MAX_BODY + 1);
  for (let i = from; i < limit; i++) {
    const b = buf[i];
    if (b === BEL) return { body: i, next: i + 1 };
    if (b === ESC) {
      if (i + 1 === buf.length) return 'more';
      return buf[i + 1] === 0x5c ? { body: i, next: i + 2 } : 'invalid';
    }
  }
  return limit === buf.length && buf.length - from <= MAX_BODY ? 'more' : 'invalid';
}

function parseBody(body: Buffer): CommandMarker | undefined {
  const m = BODY.exec(body.toString('latin1'));
  if (!m) return undefined;
  const exitCode = Number(m[1]);
  if (exitCode > 255) return undefined;
  return { command: Buffer.from(m[2]!, 'base64').toString('utf8'), exitCode };
}
