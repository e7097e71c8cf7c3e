import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LabDefinition } from './lab.schema';

/** Where the published JSON Schema of lab.yaml lives. */
export const JSON_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../lab.schema.json');

/** The JSON Schema of lab.yaml as written (input form: defaults may be omitted), as file text. */
export function jsonSchemaText(): string {
  const schema = z.toJSONSchema(LabDefinition, { io: 'input', target: 'draft-7' });
  const doc = {
    title: 'netlab lab definition (lab.yaml)',
    ...schema,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
