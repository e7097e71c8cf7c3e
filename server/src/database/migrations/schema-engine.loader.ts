import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type * as SchemaEngineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

type Glue = typeof SchemaEngineBindings;

/** The part of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly types). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, unknown>): Promise<{ exports: object }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let glue: Promise<Glue> | undefined;

/**
 * The WebAssembly build of Prisma's schema engine (the one the `prisma` CLI bundles), instantiated by
 * hand: the package's main entry imports the `.wasm` as an ES module, which Node only allows behind
 * --experimental-wasm-modules. Loaded once per process.
 */
function loadGlue(): Promise<Glue> {
  glue ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindings = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Glue &
      Record<string, unknown>;
    const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
    const module = await wasmApi.compile(bytes);
    const instance = await wasmApi.instantiate(module, { './schema_engine_bg.js': bindings });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
    (bindings as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bindings;
  })();
  return glue;
}

/** A schema engine over `adapter`'s database, knowing the schema files given as [path, content]. */
export async function newSchemaEngine(
  schemaFiles: [string, string][],
  adapter: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  const { SchemaEngine: Engine } = await loadGlue();
  return Engine.new(
    { datamodels: schemaFiles },
    (line: unknown) => log(String(line)),
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
}
