import { describe, expect, it } from 'vitest';
import { renderTemplate, templateUses } from './template';

describe(renderTemplate.name, () => {
  it('should substitute values without HTML escaping', () => {
    expect(renderTemplate('a: {{ x }}\nb: {{y}}', { x: '<p&q>', y: 8080 })).toBe('a: <p&q>\nb: 8080');
  });
});

describe(templateUses.name, () => {
  it('should list each placeholder with its line', () => {
    expect(templateUses('a\nb: {{ one }}\n{{two}} {{ one }}')).toEqual([
      { name: 'one', line: 2 },
      { name: 'two', line: 3 },
      { name: 'one', line: 3 },
    ]);
  });

  it('should throw on an unclosed placeholder', () => {
    expect(() => templateUses('a: {{ one ')).toThrow();
  });
});
