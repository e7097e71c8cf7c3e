import type { BrowserContext, Page } from 'playwright-core';

/** Starts an attempt through the API with the browser's own session (cookie + CSRF token). */
export async function startAttemptByApi(page: Page, labSlug: string): Promise<string> {
  const csrf = (await (await page.request.get('/api/auth/csrf')).json()) as { token: string };
  const res = await page.request.post('/api/attempts', {
    data: { labSlug },
    headers: { 'x-csrf-token': csrf.token },
  });
  if (!res.ok()) throw new Error(`POST /api/attempts answered ${res.status()}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Waits until the lab room's visible terminal is attached to its shell and shows a prompt. */
export async function waitForShell(page: Page, timeout = 120_000): Promise<void> {
  await page
    .getByTestId('terminal-state')
    .filter({ hasText: /^Connected$/ })
    .waitFor({ timeout });
  await page.waitForFunction(
    () =>
      /[$#]\s*$/m.test(
        (document.querySelector('[role="tabpanel"]:not([hidden]) .xterm-rows') as HTMLElement | null)
          ?.innerText ?? '',
      ),
    undefined,
    { timeout },
  );
}

/** The text of the instructions pane (the rendered steps), to read the names this attempt was given. */
export const instructionsText = (page: Page) =>
  page.getByRole('region', { name: 'Instructions' }).innerText();

/** Waits for every check to show `status` (they update by themselves: nobody presses a button). */
export async function waitForAllChecks(
  page: Page,
  status: 'pass' | 'fail',
  timeout = 120_000,
): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const checks = [...document.querySelectorAll('[data-check-id]')];
      return checks.length > 0 && checks.every((c) => c.getAttribute('data-status') === want);
    },
    status,
    { timeout },
  );
}

/**
 * Records every WebSocket the page opens, so a test can cut them as a dropped network would.
 * (A test-only shim installed before the app loads; the app itself is unchanged.)
 */
export async function trackSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const open: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = open;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        open.push(this);
      }
    } as typeof WebSocket;
  });
}

export async function dropSockets(page: Page): Promise<number> {
  return page.evaluate(() => {
    const all = (window as unknown as { __sockets: WebSocket[] }).__sockets ?? [];
    let n = 0;
    for (const ws of all) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.close(4000, 'test: network dropped');
      n++;
    }
    return n;
  });
}
