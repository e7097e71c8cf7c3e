import type { Key } from './key-decoder';
import { SHELL_LIMITS } from '../shell-limits';
import type { Completer } from './tab-completion';

/** What one key did: what to draw, and whether the line is finished. */
export interface EditResult {
  output: string;
  /** A finished line, Ctrl-C (`interrupt`) or Ctrl-D on an empty line (`eof`). */
  done?: { line: string } | 'interrupt' | 'eof';
}

const CLEAR_TO_END = '\x1b[J';

/**
 * busybox-style line editing: insert anywhere, arrows, Home/End, Backspace/Delete, Ctrl-A/E/U/K/W,
 * Ctrl-L, history with up/down. It produces only the bytes a terminal needs to show the change, and
 * knows the terminal's width, so a line longer than the screen wraps and still edits correctly.
 */
export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private prompt = '';
  private historyIndex = 0;
  private draft: string[] = [];
  private cols = 80;
  private lastWasTab = false;

  constructor(
    private readonly history: string[],
    private readonly completer?: Completer,
  ) {}

  /** Follows the terminal's width (kubectl sends it first, and again on every resize). */
  setWidth(cols: number): void {
    if (cols > 0) this.cols = cols;
  }

  /** Starts a new line after `prompt` (which the caller has drawn). */
  begin(prompt: string): void {
    this.prompt = prompt;
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = this.history.length;
  }

  handle(key: Key): EditResult {
    const afterTab = this.lastWasTab;
    this.lastWasTab = key.kind === 'tab';
    const c = this.cursor;
    switch (key.kind) {
      case 'text': {
        // Past the line limit the rest of a paste is dropped with a bell, as a full tty buffer does.
        const text = [...key.text].slice(0, Math.max(0, SHELL_LIMITS.line - this.chars.length));
        if (!text.length) return { output: '\x07' };
        const atEnd = c === this.chars.length;
        this.chars.splice(c, 0, ...text);
        if (!atEnd) return { output: this.redraw(c, c, c + text.length) };
        // Typing at the end of the line is a plain echo, as on any terminal.
        this.cursor = this.chars.length;
        return { output: text.join('') + this.settleWrap(this.cursor) };
      }
      case 'enter': {
        const line = this.chars.join('');
        if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
        return { output: this.toEnd() + this.newline(), done: { line } };
      }
      case 'interrupt':
        return { output: `${this.toEnd()}^C\r\n`, done: 'interrupt' };
      case 'eof':
        if (this.chars.length === 0) return { output: '', done: 'eof' };
        return { output: this.deleteRange(c, c + 1, c) };
      case 'backspace':
        return { output: c > 0 ? this.deleteRange(c - 1, c, c) : '' };
      case 'delete':
        return { output: this.deleteRange(c, c + 1, c) };
      case 'left':
        return { output: c > 0 ? this.moveTo(c - 1) : '' };
      case 'right':
        return { output: c < this.chars.length ? this.moveTo(c + 1) : '' };
      case 'home':
        return { output: this.moveTo(0) };
      case 'end':
        return { output: this.moveTo(this.chars.length) };
      case 'kill-line-start':
        return { output: this.deleteRange(0, c, c) };
      case 'kill-line-end':
        this.chars.length = c;
        return { output: CLEAR_TO_END };
      case 'kill-word': {
        let start = c;
        while (start > 0 && this.chars[start - 1] === ' ') start--;
        while (start > 0 && this.chars[start - 1] !== ' ') start--;
        return { output: this.deleteRange(start, c, c) };
      }
      case 'clear-screen':
        return { output: `\x1b[H\x1b[J${this.prompt}${this.redraw(0, 0, c, true)}` };
      case 'up':
      case 'down':
        return { output: this.recall(key.kind === 'up' ? -1 : 1) };
      case 'tab':
        return { output: this.complete(afterTab) };
    }
  }

  /** Tab: complete the word, or its common prefix; a second Tab lists the choices. */
  private complete(listChoices: boolean): string {
    if (!this.completer) return '';
    const c = this.cursor;
    const { start, candidates } = this.completer(this.chars.slice(0, c).join(''));
    const word = this.chars.slice(start, c).join('');
    if (candidates.length === 0) return '\x07';
    if (candidates.length === 1) {
      const only = candidates[0]!;
      return this.insertText(only.slice(word.length) + (only.endsWith('/') ? '' : ' '));
    }
    const common = candidates.reduce((a, b) => {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      return a.slice(0, i);
    });
    if (common.length > word.length) return this.insertText(common.slice(word.length));
    if (!listChoices) return '\x07';
    const names = candidates.map((n) => n.replace(/^.*\/(?=.)/, ''));
    const physical = this.cursor;
    return `${this.moveTo(this.chars.length)}\r\n${names.join('  ')}\r\n${this.prompt}${this.redraw(0, physical, physical, true)}`;
  }

  private insertText(text: string): string {
    if (!text) return '';
    const chars = [...text].slice(0, Math.max(0, SHELL_LIMITS.line - this.chars.length));
    if (!chars.length) return '\x07';
    const c = this.cursor;
    this.chars.splice(c, 0, ...chars);
    return this.redraw(c, c, c + chars.length);
  }

  /** Removes [from, to) while the terminal cursor sits at `physical`. */
  private deleteRange(from: number, to: number, physical: number): string {
    if (to <= from || from >= this.chars.length) return '';
    this.chars.splice(from, to - from);
    return this.redraw(from, physical, from);
  }

  /**
   * Redraws the line from index `from` (the terminal cursor is at index `physical`), clears what is
   * left of the old text, and leaves the cursor at index `target`.
   */
  private redraw(from: number, physical: number, target: number, fromHere = false): string {
    const end = this.chars.length;
    let out = fromHere ? '' : this.move(physical, from);
    out += this.chars.slice(from).join('') + this.settleWrap(end) + CLEAR_TO_END;
    out += this.move(end, target);
    this.cursor = target;
    return out;
  }

  private moveTo(index: number): string {
    const out = this.move(this.cursor, index);
    this.cursor = index;
    return out;
  }

  private toEnd(): string {
    return this.moveTo(this.chars.length);
  }

  /** After text that ends in the last column, a terminal waits to wrap: make it wrap now. */
  private settleWrap(index: number): string {
    const pos = this.prompt.length + index;
    return pos > 0 && pos % this.cols === 0 ? ' \r' : '';
  }

  /** The line is done: the cursor may already sit at the start of a fresh row. */
  private newline(): string {
    const pos = this.prompt.length + this.chars.length;
    return pos > 0 && pos % this.cols === 0 ? '\r' : '\r\n';
  }

  /** Cursor movement between two indexes of the line, across wrapped rows. */
  private move(from: number, to: number): string {
    const a = this.prompt.length + from;
    const b = this.prompt.length + to;
    const rows = Math.floor(b / this.cols) - Math.floor(a / this.cols);
    const cols = (b % this.cols) - (a % this.cols);
    let out = '';
    if (rows < 0) out += `\x1b[${-rows}A`;
    if (rows > 0) out += `\x1b[${rows}B`;
    if (cols < 0) out += cols === -1 ? '\b' : `\x1b[${-cols}D`;
    if (cols > 0) out += `\x1b[${cols}C`;
    return out;
  }

  private recall(step: -1 | 1): string {
    const target = this.historyIndex + step;
    if (target < 0 || target > this.history.length) return '';
    if (this.historyIndex === this.history.length) this.draft = [...this.chars];
    this.historyIndex = target;
    const physical = this.cursor;
    this.chars = [...(target === this.history.length ? this.draft : [...this.history[target]!])];
    const out = this.move(physical, 0);
    return out + this.redraw(0, 0, this.chars.length);
  }
}
