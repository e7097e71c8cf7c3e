import type { TestBrowser } from '../../testing/test-app';
import type { AttemptView } from '../attempt.view';

/** Polls `GET /api/attempts/:id` until `done` holds (generous: CI machines are loaded). */
export async function waitForAttempt(
  browser: TestBrowser,
  id: string,
  done: (a: AttemptView) => boolean,
  timeoutMs = 60_000,
): Promise<AttemptView> {
  const deadline = Date.now() + timeoutMs;
  let last: AttemptView | undefined;
  while (Date.now() < deadline) {
    const res = await browser.get(`/api/attempts/${id}`);
    last = res.body as AttemptView;
    if (res.status === 200 && done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `attempt ${id} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
  );
}
