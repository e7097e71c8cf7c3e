import type { Key } from './key-decoder';

/** What one key did: what to draw, and whether the line is finished. */
export interface EditResult {
  output: string;
  /** A finished line, Ctrl-C (`interrupt`) or Ctrl-D on an empty line (`eof`). */
  done?: { line: string } | 'interrupt' | 'eof';
}

const back = (n: number) => (n > 0 ? `\x1b[${n}D` : '');
const CLEAR_EOL = '\x1b[K';

/**
 * busybox-style line editing: insert anywhere, arrows, Home/End, Backspace/Delete, Ctrl-A/E/U/K/W,
 * Ctrl-L, history with up/down. It only produces the bytes a terminal needs to show the change.
 */
export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private prompt = '';
  private historyIndex = 0;
  private draft: string[] = [];

  constructor(private readonly history: string[]) {}

  /** Starts a new line after `prompt` (which the caller has drawn). */
  begin(prompt: string): void {
    this.prompt = prompt;
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = this.history.length;
  }

  handle(key: Key): EditResult {
    switch (key.kind) {
      case 'text':
        return { output: this.insert([...key.text]) };
      case 'enter': {
        const line = this.chars.join('');
        if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
        return { output: '\r\n', done: { line } };
      }
      case 'interrupt':
        return { output: '^C\r\n', done: 'interrupt' };
      case 'eof':
        if (this.chars.length === 0) return { output: '', done: 'eof' };
        return { output: this.cursor < this.chars.length ? this.deleteAt(this.cursor, 1) : '' };
      case 'backspace':
        if (this.cursor === 0) return { output: '' };
        this.cursor--;
        return { output: `\b${this.deleteAt(this.cursor, 1)}` };
      case 'delete':
        return { output: this.cursor < this.chars.length ? this.deleteAt(this.cursor, 1) : '' };
      case 'left':
        if (this.cursor === 0) return { output: '' };
        this.cursor--;
        return { output: '\b' };
      case 'right':
        if (this.cursor === this.chars.length) return { output: '' };
        return { output: this.chars[this.cursor++]! };
      case 'home': {
        const moved = this.cursor;
        this.cursor = 0;
        return { output: back(moved) };
      }
      case 'end': {
        const tail = this.chars.slice(this.cursor).join('');
        this.cursor = this.chars.length;
        return { output: tail };
      }
      case 'kill-line-start': {
        const moved = this.cursor;
        this.cursor = 0;
        return { output: back(moved) + this.deleteAt(0, moved) };
      }
      case 'kill-line-end':
        this.chars.length = this.cursor;
        return { output: CLEAR_EOL };
      case 'kill-word': {
        let start = this.cursor;
        while (start > 0 && this.chars[start - 1] === ' ') start--;
        while (start > 0 && this.chars[start - 1] !== ' ') start--;
        const moved = this.cursor - start;
        this.cursor = start;
        return { output: back(moved) + this.deleteAt(start, moved) };
      }
      case 'clear-screen':
        return {
          output: `\x1b[H\x1b[J${this.prompt}${this.chars.join('')}${back(this.chars.length - this.cursor)}`,
        };
      case 'up':
      case 'down':
        return { output: this.recall(key.kind === 'up' ? -1 : 1) };
      case 'tab':
        return { output: '' };
    }
  }

  private insert(text: string[]): string {
    this.chars.splice(this.cursor, 0, ...text);
    this.cursor += text.length;
    const tail = this.chars.slice(this.cursor).join('');
    return text.join('') + tail + back(tail.length);
  }

  /** Removes `count` characters at `at` (the cursor is already there) and redraws the rest. */
  private deleteAt(at: number, count: number): string {
    this.chars.splice(at, count);
    const tail = this.chars.slice(at).join('');
    return tail + CLEAR_EOL + back(tail.length);
  }

  private recall(step: -1 | 1): string {
    const target = this.historyIndex + step;
    if (target < 0 || target > this.history.length) return '';
    if (this.historyIndex === this.history.length) this.draft = [...this.chars];
    this.historyIndex = target;
    const next = target === this.history.length ? this.draft : [...this.history[target]!];
    const moved = this.cursor;
    this.chars = [...next];
    this.cursor = this.chars.length;
    return back(moved) + this.chars.join('') + CLEAR_EOL;
  }
}
