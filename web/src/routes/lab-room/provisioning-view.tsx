import type { Attempt } from '../../api/types';
import { CheckIcon, CrossIcon } from '../../components/icons';

const STEP_LABEL: Record<string, string> = {
  cluster: 'Creating your cluster',
  setup: 'Deploying the application',
  fault: 'Injecting the fault',
  toolbox: 'Starting your terminal',
};
const DEFAULT_STEPS = ['cluster', 'setup', 'fault', 'toolbox'];

/** While the cluster is being made: where we are in the queue, then each named step with a progress bar. */
export function ProvisioningView({ attempt }: { attempt: Attempt }) {
  const p = attempt.provisioning;
  const steps = p.steps.length ? p.steps : DEFAULT_STEPS.map((name) => ({ name, state: 'pending' as const }));
  const queued = attempt.state === 'queued';
  const percent = Math.max(0, Math.min(100, Math.round(p.percent)));
  return (
    <section className="provisioning" aria-labelledby="provisioning-title">
      <div className="provisioning-card card">
        <h2 id="provisioning-title">{queued ? 'Waiting for a free cluster' : 'Preparing your lab'}</h2>
        {queued ? (
          <p className="muted" data-testid="queue-position">
            {p.queuePosition != null
              ? `All clusters are busy. You are number ${p.queuePosition} in the queue; this page moves on by itself.`
              : 'All clusters are busy; this page moves on by itself.'}
          </p>
        ) : (
          <p className="muted">
            Read the instructions meanwhile: the terminal opens here when the cluster is ready.
          </p>
        )}
        <div
          className="progress"
          role="progressbar"
          aria-label="Provisioning progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={queued ? 0 : percent}
        >
          <div className="progress-bar" style={{ width: `${queued ? 0 : percent}%` }} />
        </div>
        <ol className="prov-steps">
          {steps.map((s) => (
            <li key={s.name} className={`prov-step prov-${s.state}`}>
              <span className="prov-icon" aria-hidden="true">
                {s.state === 'done' ? (
                  <CheckIcon width={14} height={14} />
                ) : s.state === 'failed' ? (
                  <CrossIcon width={14} height={14} />
                ) : s.state === 'running' ? (
                  <span className="spinner spinner-sm" />
                ) : null}
              </span>
              <span>{STEP_LABEL[s.name] ?? s.name}</span>
              <span className="visually-hidden">: {s.state}</span>
            </li>
          ))}
        </ol>
        {attempt.message ? <p className="notice notice-info">{attempt.message}</p> : null}
      </div>
    </section>
  );
}
