import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';
import { GraderError, GraderErrorCode } from '../errors';

/** Labels of an object; `undefined` when it has none. */
export type Labels = Record<string, string> | undefined;

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * Whether `labels` match a metav1.LabelSelector: every matchLabels pair and every matchExpressions
 * requirement must hold; an empty selector matches everything. Throws INVALID_INPUT for an unknown
 * operator or a requirement the API server would reject.
 */
export function matchesLabelSelector(labels: Labels, selector: V1LabelSelector): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels?.[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (!matchesRequirement(labels, requirement)) return false;
  }
  return true;
}

/** Whether `labels` carry every pair of a Service's selector. No (or an empty) selector selects nothing. */
export function matchesServiceSelector(
  labels: Labels,
  selector: Record<string, string> | undefined,
): boolean {
  // The API drops an empty map (omitempty), so `{}` and a missing selector are the same: nothing.
  if (!selector || Object.keys(selector).length === 0) return false;
  for (const [key, value] of Object.entries(selector)) {
    if (labels?.[key] !== value) return false;
  }
  return true;
}

/** Throws INVALID_INPUT when a selector could not have passed API validation (e.g. an unknown operator). */
export function validateLabelSelector(selector: V1LabelSelector, where = 'selector'): void {
  (selector.matchExpressions ?? []).forEach((r, i) => checkRequirement(r, `${where}.matchExpressions[${i}]`));
}

function matchesRequirement(labels: Labels, requirement: V1LabelSelectorRequirement): boolean {
  checkRequirement(requirement, 'matchExpressions');
  const has = labels !== undefined && Object.hasOwn(labels, requirement.key);
  switch (requirement.operator) {
    case 'In':
      return has && (requirement.values ?? []).includes(labels[requirement.key]!);
    case 'NotIn':
      return !has || !(requirement.values ?? []).includes(labels[requirement.key]!);
    case 'Exists':
      return has;
    default:
      return !has; // DoesNotExist: checkRequirement has ruled out anything else
  }
}

function checkRequirement(requirement: V1LabelSelectorRequirement, where: string): void {
  const op = requirement.operator;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${where}: unknown label selector operator "${op}" (key "${requirement.key}"); expected one of ${OPERATORS.join(', ')} (case-sensitive)`,
    );
  }
  const count = requirement.values?.length ?? 0;
  if ((op === 'In' || op === 'NotIn') && count === 0) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${where}: operator ${op} on key "${requirement.key}" needs at least one value`,
    );
  }
  if ((op === 'Exists' || op === 'DoesNotExist') && count > 0) {
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${where}: operator ${op} on key "${requirement.key}" takes no values`,
    );
  }
}

/** A selector in kubectl's words: `app=web,tier in (a,b),!legacy`; `<all>` for an empty one. */
export function describeLabelSelector(selector: V1LabelSelector | undefined): string {
  if (!selector) return '<none>';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const values = (r.values ?? []).join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${values})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${values})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator} (${values})`);
  }
  return parts.length ? parts.join(',') : '<all>';
}

/** Labels in kubectl's words: `app=web,tier=front`; `<none>` when there are none. */
export function describeLabels(labels: Labels): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}
