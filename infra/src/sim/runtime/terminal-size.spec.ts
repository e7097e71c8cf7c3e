import { describe, expect, it } from 'vitest';
import { parseResizeMessage, toTerminalSize } from './terminal-size';

describe(parseResizeMessage.name, () => {
  it.each([
    ['{"Width":100,"Height":30}', { cols: 100, rows: 30 }],
    ['{"width":80,"height":24}', { cols: 80, rows: 24 }],
    ['{"Width":0,"Height":0}', { cols: 0, rows: 0 }],
  ])('should read %s when the sides are small whole numbers', (json, size) => {
    expect(parseResizeMessage(Buffer.from(json))).toEqual(size);
  });

  it.each([
    '{"Width":"1; touch /tmp/x #","Height":30}',
    '{"Width":100,"Height":"30$(id)"}',
    '{"Width":1e9,"Height":30}',
    '{"Width":-5,"Height":30}',
    '{"Width":10.5,"Height":30}',
    '{"Width":100}',
    '[100,30]',
    'null',
    'not json',
    `{"Width":100,"Height":30,"pad":"${'x'.repeat(300)}"}`,
  ])('should ignore %s when it is not a terminal size', (json) => {
    expect(parseResizeMessage(Buffer.from(json))).toBeUndefined();
  });
});

describe(toTerminalSize.name, () => {
  it('should refuse a string side even when it looks like a number', () => {
    expect(toTerminalSize('80', 24)).toBeUndefined();
    expect(toTerminalSize(80, 24)).toEqual({ cols: 80, rows: 24 });
  });
});
