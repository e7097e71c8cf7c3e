import { describe, expect, it } from 'vitest';
import { parseDeclarations, typeDocs } from './api-field-docs';

describe(typeDocs.name, () => {
  it('should give a field typed by another type its own description when the type is NetworkPolicySpec', () => {
    const sut = typeDocs('NetworkPolicySpec', ['podSelector', 'ingress']);
    expect(sut?.fields.podSelector).toContain('An empty podSelector matches all pods in this namespace.');
    expect(sut?.description).toContain('NetworkPolicySpec provides the specification of a NetworkPolicy');
  });

  it('should pick the group whose fields match when two groups define Event', () => {
    const core = typeDocs('Event', ['involvedObject', 'count', 'firstTimestamp']);
    const events = typeDocs('Event', ['regarding', 'note', 'deprecatedCount']);
    expect(core?.fields).toHaveProperty('involvedObject');
    expect(events?.fields).toHaveProperty('regarding');
  });

  it('should answer undefined when no stable API version defines the type', () => {
    expect(typeDocs('NoSuchType')).toBeUndefined();
  });
});

describe(parseDeclarations.name, () => {
  it('should keep paragraphs and skip fields without a comment when parsing an interface', () => {
    const text = [
      '/** Thing is a thing. */',
      'export interface Thing {',
      '    /**',
      '     * first paragraph.',
      '     *',
      '     * second paragraph.',
      '     */',
      '    a?: string;',
      '    b: number;',
      '    /** c is "quoted". */',
      '    c: Other;',
      '}',
    ].join('\n');
    const sut = parseDeclarations(text);
    expect(sut).toEqual([
      [
        'Thing',
        {
          description: 'Thing is a thing.',
          fields: { a: 'first paragraph.\n\nsecond paragraph.', c: 'c is "quoted".' },
        },
      ],
    ]);
  });
});
