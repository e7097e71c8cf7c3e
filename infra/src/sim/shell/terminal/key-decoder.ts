/** A keystroke, decoded from what a terminal sends. */
export type Key =
  | { kind: 'text'; text: string }
  | {
      kind:
        | 'enter'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'home'
        | 'end'
        | 'up'
        | 'down'
        | 'tab'
        | 'interrupt'
        | 'eof'
        | 'kill-line-start'
        | 'kill-line-end'
        | 'kill-word'
        | 'clear-screen';
    };

const CONTROL: Record<string, Key['kind']> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x01': 'home',
  '\x02': 'left',
  '\x03': 'interrupt',
  '\x04': 'eof',
  '\x05': 'end',
  '\x06': 'right',
  '\x0b': 'kill-line-end',
  '\x0c': 'clear-screen',
  '\x0e': 'down',
  '\x10': 'up',
  '\x15': 'kill-line-start',
  '\x17': 'kill-word',
};

const ESCAPES: Record<string, Key['kind']> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  '1~': 'home',
  '7~': 'home',
  '4~': 'end',
  '8~': 'end',
  '3~': 'delete',
};

const ESC = '\u001b';
/** CSI (`ESC [ params final`) or SS3 (`ESC O final`). */
const ESCAPE_SEQUENCE = new RegExp(`^${ESC}(?:\\[([0-9;]*)([A-Za-z~])|O([A-Za-z]))`);
/** The start of such a sequence, cut at the end of a chunk. */
const PARTIAL_ESCAPE = new RegExp(`^${ESC}(\\[[0-9;]*|O)?$`);

/**
 * Turns terminal input into keys: control characters, CSI/SS3 escape sequences (arrows, Home,
 * End, Delete) and text. A sequence split across two chunks is completed by the next chunk.
 */
export class KeyDecoder {
  private pending = '';
  private lastWasCr = false;

  feed(chunk: string): Key[] {
    const input = this.pending + chunk;
    this.pending = '';
    const keys: Key[] = [];
    let text = '';
    const flush = () => {
      if (text) keys.push({ kind: 'text', text });
      text = '';
    };
    for (let i = 0; i < input.length; i++) {
      const c = input[i]!;
      const wasCr = this.lastWasCr;
      this.lastWasCr = c === '\r';
      if (c === '\x1b') {
        const m = ESCAPE_SEQUENCE.exec(input.slice(i));
        if (!m) {
          if (PARTIAL_ESCAPE.test(input.slice(i))) {
            this.pending = input.slice(i);
            break;
          }
          continue;
        }
        flush();
        const params = m[1] ?? '';
        const final = m[2] ?? m[3]!;
        const code = final === '~' ? `${params}~` : final;
        const kind = ESCAPES[code];
        if (kind) keys.push({ kind } as Key);
        i += m[0].length - 1;
        continue;
      }
      if (c === '\n' && wasCr) continue;
      const control = CONTROL[c];
      if (control) {
        flush();
        keys.push({ kind: control } as Key);
      } else if (c >= ' ') text += c;
    }
    flush();
    return keys;
  }
}
