import { describe, expect, it } from 'vitest';
import { TerminalScreen } from '../testing/terminal-screen';
import { KeyDecoder } from './key-decoder';
import { LineEditor } from './line-editor';

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const HOME = '\x1b[H';
const END = '\x1b[F';
const DEL = '\x1b[3~';
const BS = '\x7f';

/** Types `keys` after the prompt; returns the screen and the finished line, if any. */
function typeLine(keys: string, history: string[] = [], cols = 1000) {
  const sut = new LineEditor(history);
  sut.setWidth(cols);
  const decoder = new KeyDecoder();
  let output = '/ # ';
  let done: unknown;
  sut.begin('/ # ');
  for (const key of decoder.feed(keys)) {
    const r = sut.handle(key);
    output += r.output;
    done ??= r.done;
  }
  return { screen: new TerminalScreen(cols).write(output).text(), done };
}

describe(LineEditor.name, () => {
  it.each([
    { what: 'plain typing', keys: 'curl web', screen: '/ # curl web', line: 'curl web' },
    { what: 'insert after moving left', keys: `curl wb${LEFT}e`, screen: '/ # curl web', line: 'curl web' },
    { what: 'backspace at the end', keys: `curl webx${BS}`, screen: '/ # curl web', line: 'curl web' },
    {
      what: 'backspace in the middle',
      keys: `curl wxeb${LEFT}${LEFT}${BS}`,
      screen: '/ # curl web',
      line: 'curl web',
    },
    {
      what: 'Delete under the cursor',
      keys: `curl wxeb${LEFT}${LEFT}${LEFT}${DEL}`,
      screen: '/ # curl web',
      line: 'curl web',
    },
    { what: 'Ctrl-A then typing', keys: `web\x01curl `, screen: '/ # curl web', line: 'curl web' },
    {
      what: 'Home then End then typing',
      keys: `curl${HOME}${END} web`,
      screen: '/ # curl web',
      line: 'curl web',
    },
    { what: 'Ctrl-E after Ctrl-A', keys: `curl\x01\x05 web`, screen: '/ # curl web', line: 'curl web' },
    {
      what: 'Ctrl-U kills to the start',
      keys: `junk junk\x15curl web`,
      screen: '/ # curl web',
      line: 'curl web',
    },
    {
      what: 'Ctrl-W kills the last word',
      keys: `curl junk\x17web`,
      screen: '/ # curl web',
      line: 'curl web',
    },
    {
      what: 'Ctrl-K kills to the end',
      keys: `curl webjunk${LEFT}${LEFT}${LEFT}${LEFT}\x0b`,
      screen: '/ # curl web',
      line: 'curl web',
    },
    {
      what: 'right arrow moves over text',
      keys: `curl web${HOME}${RIGHT}${RIGHT}${RIGHT}${RIGHT}${RIGHT}-s `,
      screen: '/ # curl -s web',
      line: 'curl -s web',
    },
  ])('should show and return the line for $what', ({ keys, screen, line }) => {
    const result = typeLine(`${keys}\r`);

    expect(result).toEqual({ screen, done: { line } });
  });

  it('should recall history with up and down, and keep the draft', () => {
    const history = ['nslookup web', 'curl web'];

    expect(typeLine(`${UP}\r`, history).done).toEqual({ line: 'curl web' });
    expect(typeLine(`${UP}${UP}\r`, history).done).toEqual({ line: 'nslookup web' });
    expect(typeLine(`dra${UP}${UP}${DOWN}${DOWN}ft\r`, history)).toEqual({
      screen: '/ # draft',
      done: { line: 'draft' },
    });
  });

  it('should draw a recalled line over a longer one', () => {
    expect(typeLine(`a much longer line${UP}`, ['short']).screen).toBe('/ # short');
  });

  it('should abort the line on Ctrl-C with ^C', () => {
    expect(typeLine('curl web\x03')).toEqual({ screen: '/ # curl web^C', done: 'interrupt' });
  });

  it('should report end of input on Ctrl-D only when the line is empty', () => {
    expect(typeLine('\x04').done).toBe('eof');
    expect(typeLine(`ab${LEFT}\x04\r`).done).toEqual({ line: 'a' });
  });
});

describe('LineEditor on a narrow terminal', () => {
  const COLS = 12; // "/ # " + 8 characters per first row

  it.each([
    { what: 'typing past the edge', keys: 'abcdefghijkl', screen: '/ # abcdefgh\nijkl' },
    {
      what: 'inserting before the wrap',
      keys: `abcdefghijkl${LEFT.repeat(6)}X`,
      screen: '/ # abcdefXg\nhijkl',
    },
    {
      what: 'backspace across the wrap',
      keys: `abcdefghijkl${LEFT.repeat(4)}${BS}`,
      screen: '/ # abcdefgi\njkl',
    },
    { what: 'Ctrl-A then typing', keys: `abcdefghijkl\x01>`, screen: '/ # >abcdefg\nhijkl' },
    { what: 'Ctrl-U from the second row', keys: 'abcdefghijkl\x15x', screen: '/ # x' },
    {
      what: 'history recall over a wrapped line',
      keys: `abcdefghijkl${UP}`,
      screen: '/ # short',
      history: ['short'],
    },
  ])('should keep the screen right for $what', ({ keys, screen, history }) => {
    expect(typeLine(keys, history ?? [], COLS).screen).toBe(screen);
  });

  it('should start the output on the next row when the line ends exactly at the edge', () => {
    const sut = new LineEditor([]);
    sut.setWidth(COLS);
    sut.begin('/ # ');
    let out = '/ # ';
    for (const key of new KeyDecoder().feed('abcdefgh\r')) out += sut.handle(key).output;

    expect(new TerminalScreen(COLS).write(`${out}output`).text()).toBe('/ # abcdefgh\noutput');
  });
});

describe(KeyDecoder.name, () => {
  it('should complete an escape sequence cut between two chunks', () => {
    const sut = new KeyDecoder();

    expect(sut.feed('a\x1b[')).toEqual([{ kind: 'text', text: 'a' }]);
    expect(sut.feed('Db')).toEqual([{ kind: 'left' }, { kind: 'text', text: 'b' }]);
  });

  it('should read CR LF as one Enter', () => {
    expect(new KeyDecoder().feed('x\r\n')).toEqual([{ kind: 'text', text: 'x' }, { kind: 'enter' }]);
  });
});
