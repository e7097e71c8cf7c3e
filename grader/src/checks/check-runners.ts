import type { Check } from '@netlab/labs';
import type { CheckOutcome } from '../grade/grade-report';
import type { CheckContext } from './check-context';
import { runDnsCheck } from './dns.check';
import { runEndpointsCheck } from './endpoints.check';
import { runHttpCheck } from './http.check';
import { runNodesReadyCheck } from './nodes-ready.check';
import { runPodsReadyCheck } from './pods-ready.check';
import { runResourceCheck } from './resource.check';
import { runScriptCheck } from './script.check';
import { runTcpCheck } from './tcp.check';

/** Runs one attempt of any check, by its type. */
export function runCheckOnce(check: Check, ctx: CheckContext): Promise<CheckOutcome> {
  switch (check.type) {
    case 'http':
      return runHttpCheck(check, ctx);
    case 'tcp':
      return runTcpCheck(check, ctx);
    case 'dns':
      return runDnsCheck(check, ctx);
    case 'endpoints':
      return runEndpointsCheck(check, ctx);
    case 'resource':
      return runResourceCheck(check, ctx);
    case 'nodes-ready':
      return runNodesReadyCheck(check, ctx);
    case 'pods-ready':
      return runPodsReadyCheck(check, ctx);
    case 'script':
      return runScriptCheck(check, ctx);
  }
}
