const KEY = 'netlab.terminal.predictiveEcho';

/** Whether typed keys are drawn before the shell echoes them; on unless the learner turned it off. */
export function loadPredictiveEcho(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true; // storage blocked: the default
  }
}

export function savePredictiveEcho(on: boolean): void {
  try {
    if (on) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, 'off');
  } catch {
    /* storage blocked: the choice lasts until the page closes */
  }
}
