const ESC = '\u001b';
const CSI = new RegExp(`^${ESC}\\[([0-9;]*)([A-Za-z])`);

/**
 * Just enough of a VT100 to see what a user sees: printable text, CR, LF, BS, and the CSI
 * sequences the line editor uses (cursor left/right, erase line, home, erase screen).
 */
export class TerminalScreen {
  private lines: string[][] = [[]];
  private row = 0;
  private col = 0;

  write(data: string): this {
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (c === ESC) {
        const m = CSI.exec(data.slice(i));
        if (m) {
          this.csi(m[1] ?? '', m[2]!);
          i += m[0].length - 1;
        }
      } else if (c === '\r') this.col = 0;
      else if (c === '\n') {
        this.row++;
        this.lines[this.row] ??= [];
      } else if (c === '\b') this.col = Math.max(0, this.col - 1);
      else if (c >= ' ') {
        const line = this.lines[this.row]!;
        while (line.length < this.col) line.push(' ');
        line[this.col++] = c;
      }
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

  private csi(params: string, final: string): void {
    const n = Number(params || '1');
    const line = this.lines[this.row]!;
    if (final === 'D') this.col = Math.max(0, this.col - n);
    else if (final === 'C') this.col += n;
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
