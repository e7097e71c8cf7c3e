/**
 * The paths of the contract (server/docs/api-contract.md) that the server's OpenAPI document does not
 * type yet (a success response without a schema, or no path parameters), written by hand in the shape
 * openapi-typescript emits. web/scripts/api-types.spec.ts fails once the server documents one of them
 * fully: then delete it here and regenerate generated/openapi.ts.
 */

export interface pendingPaths {
  '/api/attempts': {
    get: op<never, { attempts: components['schemas']['AttemptSummary'][] }>;
    post: op<{ labSlug: string }, components['schemas']['Attempt'], 201>;
  };
  '/api/attempts/{id}': { get: op<never, components['schemas']['Attempt'], 200, { id: string }> };
  '/api/attempts/{id}/check-runs': {
    get: op<never, { checkRuns: components['schemas']['CheckRun'][] }, 200, { id: string }>;
  };
  '/api/attempts/{id}/check': { post: op<never, components['schemas']['CheckRun'], 200, { id: string }> };
  '/api/attempts/{id}/hints': {
    post: op<
      never,
      { hint: { index: number; cost: number; markdown: string }; attempt: components['schemas']['Attempt'] },
      200,
      { id: string }
    >;
  };
  '/api/attempts/{id}/reset': { post: op<never, components['schemas']['Attempt'], 200, { id: string }> };
  '/api/attempts/{id}/extend': { post: op<never, components['schemas']['Attempt'], 200, { id: string }> };
  '/api/attempts/{id}/finish': { post: op<never, components['schemas']['Attempt'], 200, { id: string }> };
  '/api/attempts/{id}/abandon': { post: op<never, components['schemas']['Attempt'], 200, { id: string }> };
  '/api/attempts/{id}/commands': {
    get: op<
      never,
      { commands: { terminalId: string; command: string; exitCode: number | null; at: string }[] },
      200,
      { id: string }
    >;
  };
  '/api/attempts/{id}/netmodel': { get: op<never, components['schemas']['NetMap'], 200, { id: string }> };
}

/** The pending paths, for the spec that checks the server still leaves each of them untyped. */
export const PENDING_PATHS = [
  '/api/attempts',
  '/api/attempts/{id}',
  '/api/attempts/{id}/check-runs',
  '/api/attempts/{id}/check',
  '/api/attempts/{id}/hints',
  '/api/attempts/{id}/reset',
  '/api/attempts/{id}/extend',
  '/api/attempts/{id}/finish',
  '/api/attempts/{id}/abandon',
  '/api/attempts/{id}/commands',
  '/api/attempts/{id}/netmodel',
] as const;

/** Schemas of the pending paths, as the contract words them. */
export interface components {
  schemas: {
    ErrorBody: { code: string; message: string; details?: unknown };
    PathLink: {
      hop: 'source' | 'dns' | 'service' | 'endpoints' | 'policy' | 'listener' | 'target';
      label: string;
      ok: boolean;
      reason?: string;
    };
    CheckView: {
      id: string;
      title: string;
      status: 'pending' | 'pass' | 'fail' | 'error';
      evidence: string | null;
      diagnosis: string | null;
      path?: components['schemas']['PathLink'][] | null;
    };
    CheckRun: {
      id: string;
      trigger: 'manual' | 'live' | 'final';
      passed: boolean;
      score: number | null;
      startedAt: string;
      durationMs: number | null;
      checks: components['schemas']['CheckView'][];
    };
    Attempt: {
      id: string;
      labSlug: string;
      labTitle: string;
      state: 'queued' | 'provisioning' | 'ready' | 'passed' | 'expired' | 'abandoned' | 'failed';
      provisioning: {
        step: 'cluster' | 'setup' | 'fault' | 'toolbox' | null;
        percent: number;
        steps: { name: string; state: 'pending' | 'running' | 'done' | 'failed' }[];
        queuePosition: number | null;
      };
      message: string | null;
      steps: { title: string; markdown: string }[];
      checks: components['schemas']['CheckView'][];
      hints: { index: number; cost: number; revealed: boolean; markdown: string | null }[];
      score: number | null;
      hintsUsed: number;
      extended: boolean;
      canExtend: boolean;
      createdAt: string;
      readyAt: string | null;
      endedAt: string | null;
      expiresAt: string | null;
      solution: { commands: string[] } | null;
      debrief: { markdown: string; links: { title: string; url: string }[] } | null;
      terminal: { available: boolean };
    };
    AttemptSummary: {
      id: string;
      labSlug: string;
      labTitle: string;
      state: components['schemas']['Attempt']['state'];
      score: number | null;
      hintsUsed: number;
      createdAt: string;
      endedAt: string | null;
      durationSeconds: number | null;
      checkRuns: number;
    };
    NetMap: {
      namespaces: string[];
      nodes: {
        name: string;
        pods: {
          namespace: string;
          name: string;
          ip: string | null;
          labels: Record<string, string>;
          ready: boolean;
        }[];
      }[];
      services: {
        namespace: string;
        name: string;
        type: string;
        clusterIP: string | null;
        ports: { name?: string; port: number; targetPort: number | string; protocol?: string }[];
        selector: Record<string, string> | null;
        endpoints: { pod: string | null; ip: string; ready: boolean }[];
      }[];
      policies: {
        namespace: string;
        name: string;
        podSelector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
        isolates: string[];
        policyTypes: string[];
      }[];
    };
  };
}

/** One operation in the shape openapi-typescript emits, so openapi-fetch types it the same way. */
type op<Body, Res, Status extends number = 200, Path = never> = {
  parameters: { query?: never; header?: never; cookie?: never } & ([Path] extends [never]
    ? { path?: never }
    : { path: Path });
  responses: {
    [S in Status]: { headers: { [name: string]: unknown }; content: { 'application/json': Res } };
  } & {
    default: {
      headers: { [name: string]: unknown };
      content: { 'application/json': components['schemas']['ErrorBody'] };
    };
  };
} & ([Body] extends [never]
  ? { requestBody?: never }
  : { requestBody: { content: { 'application/json': Body } } });
