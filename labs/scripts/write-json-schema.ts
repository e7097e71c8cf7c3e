// Writes labs/lab.schema.json from the zod schema, so editors validate lab.yaml as it is typed.
import { writeFileSync } from 'node:fs';
import { jsonSchemaText, JSON_SCHEMA_PATH } from '../src/schema/json-schema';

writeFileSync(JSON_SCHEMA_PATH, jsonSchemaText());
console.log(`wrote ${JSON_SCHEMA_PATH}`);
