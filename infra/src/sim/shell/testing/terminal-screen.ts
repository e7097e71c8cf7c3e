const ESC = '\u001b';
const CSI = new RegExp(`^${ESC}\\[([0-9;]*)([A-Za-z])`);

/**
 * Just enough of a VT100 to see what a user sees: printable text with autowrap at `cols` (and the
 * pending-wrap state of the last column), CR, LF, BS, and the CSI sequences the line editor uses
 * (cursor up/down/left/right, erase line, erase below, home).
 */
export class TerminalScreen {
  private lines: string[][] = [[]];
  private row = 0;
  private col = 0;
  private pendingWrap = false;

  constructor(private readonly cols = 1000) {}

  write(data: string): this {
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (c === ESC) {
        const m = CSI.exec(data.slice(i));
        if (m) {
          this.csi(m[1] ?? '', m[2]!);
          i += m[0].length - 1;
        }
        continue;
      }
      if (c === '\r') this.col = 0;
      else if (c === '\n') this.down(1);
      else if (c === '\b') this.col = Math.max(0, this.col - 1);
      else if (c >= ' ') {
        if (this.pendingWrap) {
          this.col = 0;
          this.down(1);
        }
        this.pendingWrap = false;
        const line = this.lines[this.row]!;
        while (line.length < this.col) line.push(' ');
        line[this.col] = c;
        if (this.col === this.cols - 1) this.pendingWrap = true;
        else this.col++;
        continue;
      }
      this.pendingWrap = false;
    }
    return this;
  }

  /** The screen as text: one line per row, trailing spaces and empty last rows removed. */
  text(): string {
    return this.lines
      .map((l) => l.join('').trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  }

  /** Where the cursor is, for tests of cursor movement. */
  get position(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }

  private down(n: number): void {
    this.row += n;
    for (let r = 0; r <= this.row; r++) this.lines[r] ??= [];
  }

  private csi(params: string, final: string): void {
    const n = Number(params || '1');
    this.pendingWrap = false;
    const line = this.lines[this.row]!;
    if (final === 'D') this.col = Math.max(0, this.col - n);
    else if (final === 'C') this.col = Math.min(this.cols - 1, this.col + n);
    else if (final === 'A') this.row = Math.max(0, this.row - n);
    else if (final === 'B') this.down(n);
    else if (final === 'K') line.length = Math.min(line.length, this.col);
    else if (final === 'H') {
      this.row = 0;
      this.col = 0;
    } else if (final === 'J') {
      line.length = Math.min(line.length, this.col);
      this.lines.length = this.row + 1;
    }
  }
}
