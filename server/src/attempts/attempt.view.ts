import type { CheckResult } from '@netlab/grader';
import type { LoadedLab } from '@netlab/labs';
import { ENDED_STATES, PROVISIONING_STEPS } from './attempt-state';
import type { AttemptRecord, CheckRunRecord, HintUseRecord } from './attempt.types';

import type { AttemptSummaryView, AttemptView, CheckRunView, CheckView, PathLinkView } from './attempt.dto';

/** The wire shapes of docs/api-contract.md (Attempts); their zod schemas (in /api/docs) are in attempt.dto.ts. */
export type { AttemptSummaryView, AttemptView, CheckRunView, CheckView, PathLinkView };

/** What an attempt's view is drawn from. */
export interface AttemptViewInput {
  attempt: AttemptRecord;
  lab: LoadedLab;
  latestRun: CheckRunRecord | null;
  hintUses: HintUseRecord[];
  queuePosition: number | null;
}

/** The attempt as its owner (or a supervising instructor) sees it. */
export function attemptView(input: AttemptViewInput): AttemptView {
  const { attempt: a, lab, latestRun } = input;
  const d = lab.definition;
  const exam = a.examSittingId !== null;
  const ended = ENDED_STATES.includes(a.state);
  const results = new Map((latestRun?.results ?? []).map((r) => [r.id, r]));
  const revealed = new Set(input.hintUses.map((h) => h.index));
  return {
    id: a.id,
    labSlug: a.labSlug,
    labTitle: d.title,
    state: a.state,
    provisioning: provisioningOf(a, input.queuePosition),
    message: a.message,
    steps: lab.steps.map((s) => ({ title: s.title, markdown: s.markdown })),
    checks: d.checks.map((c) => {
      const r = results.get(c.id);
      return r
        ? checkView(r, exam)
        : { id: c.id, title: c.title, status: 'pending', evidence: null, diagnosis: null };
    }),
    hints: d.hints.map((h, index) => ({
      index,
      cost: h.cost,
      revealed: revealed.has(index),
      markdown: revealed.has(index) ? h.text : null,
    })),
    score: a.score,
    hintsUsed: a.hintsUsed,
    extended: a.extended,
    canExtend: a.state === 'ready' && !a.extended,
    createdAt: a.createdAt.toISOString(),
    readyAt: a.readyAt?.toISOString() ?? null,
    endedAt: a.endedAt?.toISOString() ?? null,
    expiresAt: a.expiresAt?.toISOString() ?? null,
    solution: ended && a.state !== 'failed' ? { commands: d.solution.commands } : null,
    debrief: a.state === 'passed' ? { markdown: lab.debrief, links: d.debrief.links } : null,
    terminal: { available: a.state === 'ready' && a.toolboxPod !== null },
  };
}

function provisioningOf(a: AttemptRecord, queuePosition: number | null): AttemptView['provisioning'] {
  const at = a.step ? PROVISIONING_STEPS.findIndex((s) => s.name === a.step) : -1;
  const done = a.state === 'ready' || a.state === 'passed';
  const failed = a.state === 'failed' && a.readyAt === null;
  const steps = PROVISIONING_STEPS.map((s, i) => ({
    name: s.name,
    state: (done || (a.state === 'provisioning' && i < at) || (failed && i < at)
      ? 'done'
      : a.state === 'provisioning' && i === at
        ? 'running'
        : failed && i === at
          ? 'failed'
          : 'pending') as 'pending' | 'running' | 'done' | 'failed',
  }));
  const percent = done
    ? 100
    : at > 0 && a.state === 'provisioning'
      ? PROVISIONING_STEPS[at - 1]!.percentDone
      : 0;
  return {
    step: a.state === 'provisioning' ? a.step : null,
    percent,
    steps,
    queuePosition: a.state === 'queued' ? queuePosition : null,
  };
}

/** A check result as shown: exams hide what was observed and why. */
export function checkView(r: CheckResult, exam: boolean): CheckView {
  if (exam)
    return { id: r.id, title: r.title, status: r.status, evidence: null, diagnosis: null, path: null };
  const path = pathOf(r);
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    evidence: r.evidence,
    diagnosis: r.status === 'pass' ? null : (r.diagnosis ?? null),
    ...(path ? { path } : {}),
  };
}

const HOPS: Record<string, PathLinkView['hop']> = {
  dns: 'dns',
  service: 'service',
  endpoints: 'endpoints',
  'target-port': 'target',
  route: 'target',
  'egress-policy': 'policy',
  'ingress-policy': 'policy',
  listener: 'listener',
};

/** The model's path of a failing reachability check, as the UI draws it. */
function pathOf(r: CheckResult): PathLinkView[] | undefined {
  const links = (r as CheckResult & { path?: { step: string; ok: boolean; detail: string }[] }).path;
  if (r.status === 'pass' || !links?.length) return undefined;
  return [
    { hop: 'source', label: 'source', ok: true },
    ...links.map((l) => ({
      hop: HOPS[l.step] ?? 'target',
      label: l.step,
      ok: l.ok,
      ...(l.ok ? {} : { reason: l.detail }),
    })),
  ];
}

/** A grade on the wire. */
export function checkRunView(run: CheckRunRecord, exam: boolean): CheckRunView {
  return {
    id: run.id,
    trigger: run.trigger,
    passed: run.passed,
    score: run.score,
    startedAt: run.startedAt.toISOString(),
    durationMs: run.durationMs,
    checks: run.results.map((r) => checkView(r, exam)),
  };
}

/** A row of "my attempts". */
export function attemptSummaryView(
  a: AttemptRecord & { checkRuns: number },
  labTitle: string,
): AttemptSummaryView {
  const end = a.endedAt ?? null;
  return {
    id: a.id,
    labSlug: a.labSlug,
    labTitle,
    state: a.state,
    score: a.score,
    hintsUsed: a.hintsUsed,
    createdAt: a.createdAt.toISOString(),
    endedAt: end?.toISOString() ?? null,
    durationSeconds: a.readyAt && end ? Math.round((end.getTime() - a.readyAt.getTime()) / 1000) : null,
    checkRuns: a.checkRuns,
  };
}
