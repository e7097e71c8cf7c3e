import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH, jsonSchemaText } from './json-schema';

describe('lab.schema.json', () => {
  it('should match the zod schema (run `npm run schema` after changing it)', () => {
    expect(readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(jsonSchemaText());
  });

  it('should list every check type for editors', () => {
    const text = jsonSchemaText();
    for (const type of [
      'endpoints',
      'http',
      'tcp',
      'dns',
      'resource',
      'nodes-ready',
      'pods-ready',
      'script',
    ]) {
      expect(text).toContain(`"const": "${type}"`);
    }
  });
});
