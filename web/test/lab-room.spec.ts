// The lab room against the real server on sim: a real cluster per attempt, the real kubectl in the
// toolbox shell, xterm.js in Chromium typed into key by key. Screenshots go to web/test/artifacts/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, newContext, screenshot, terminalText } from './support/browser';
import { registerThroughUi, typeInTerminal, waitForTerminalText } from './support/learner';
import { startRealServer, type RealServer } from './support/real-server';
import {
  dropSockets,
  instructionsText,
  startAttemptByApi,
  trackSockets,
  waitForAllChecks,
  waitForShell,
} from './support/room';
import { buildWeb } from './support/web-build';

const LONG = 240_000;

describe('the lab room in a browser', () => {
  let server: RealServer;
  let oneSlotServer: RealServer;
  let browser: Browser;

  beforeAll(async () => {
    buildWeb();
    [server, oneSlotServer, browser] = await Promise.all([
      startRealServer(),
      startRealServer({ NETLAB_CAPACITY: '1' }),
      launchBrowser(),
    ]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), oneSlotServer?.stop()]);
  }, 60_000);

  async function learnerPage(on: RealServer = server): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, on.url);
    await trackSockets(context);
    const page = await context.newPage();
    await registerThroughUi(page);
    return { context, page };
  }

  it(
    'should turn the checks green by themselves and show the debrief when the learner fixes the Service in the terminal',
    async () => {
      const { context, page } = await learnerPage();
      await page
        .getByRole('article', { name: 'A Service that selects nothing' })
        .getByRole('button', { name: 'Start lab' })
        .click();
      await page.waitForURL(/\/attempts\/[0-9a-f-]{36}$/);
      await waitForShell(page);
      const [, app, ns] =
        /The team behind (\S+) in namespace (\S+) says/.exec(await instructionsText(page)) ?? [];
      expect(app && ns, 'the instructions name the app and its namespace').toBeTruthy();
      // The exam curriculum the lab practises, opened from its one-line summary.
      const practises = page.locator('.room-curriculum');
      expect(await practises.locator('summary').innerText()).toMatch(/Practises\s*CKA\s*CKAD/);
      await practises.locator('summary').click();
      expect(await practises.getByRole('list', { name: 'Exam curriculum' }).innerText()).toContain(
        'Troubleshoot services and networking',
      );

      // Look first, as a learner would; the checks are not green yet.
      await typeInTerminal(page, `kubectl -n ${ns} get pods --show-labels\n`);
      await waitForTerminalText(page, new RegExp(`${app}-\\S+\\s+1/1\\s+Running`));
      await page.locator('[data-check-id][data-status="fail"]').first().waitFor({ timeout: LONG });
      await page.getByTestId('path-diagram').first().waitFor();
      await screenshot(page, 'lab-room');
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, 'lab-room-dark');
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'light' });

      // The fix: point the Service's selector at the tier the Pods really carry.
      await typeInTerminal(
        page,
        `kubectl -n ${ns} patch service ${app} --type=merge -p "{\\"spec\\":{\\"selector\\":{\\"tier\\":\\"$(kubectl -n ${ns} get deploy ${app} -o jsonpath='{.spec.template.metadata.labels.tier}')\\"}}}"\n`,
      );
      await waitForTerminalText(page, new RegExp(`service/${app} patched`));
      await waitForAllChecks(page, 'pass', LONG);
      await page.getByText('Fixed. Every check passes.').waitFor({ timeout: LONG });
      await page.getByRole('heading', { name: 'What happened' }).waitFor();
      expect(await page.getByTestId('score').innerText()).toMatch(/^\d+$/);
      await screenshot(page, 'lab-room-passed');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'My attempts' }).click();
      const row = page.getByRole('row', { name: /A Service that selects nothing/ });
      await row.waitFor();
      expect(await row.innerText()).toContain('Passed');
      await row.getByRole('button', { name: /Check runs/ }).click();
      await page.getByText('All passed').first().waitFor();
      await screenshot(page, 'attempts');
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    },
    LONG * 2,
  );

  it(
    'should resume the same shell with its scrollback when the page reloads or the network drops',
    async () => {
      const { context, page } = await learnerPage();
      const id = await startAttemptByApi(page, 'wrong-targetport');
      await page.goto(`/attempts/${id}`);
      await waitForShell(page);
      await typeInTerminal(page, 'echo "marker-$((6*7))-before-reload"\n');
      await waitForTerminalText(page, /^marker-42-before-reload/m);

      await page.reload();
      await waitForShell(page);
      await waitForTerminalText(page, /^marker-42-before-reload/m);
      // The same shell: a variable set before the drop is still there after it.
      await typeInTerminal(page, 'export NETLAB_SEEN=yes\n');
      expect(await dropSockets(page)).toBeGreaterThan(0);
      await page.getByTestId('terminal-state').filter({ hasText: 'Reconnecting…' }).waitFor();
      await screenshot(page, 'terminal-reconnecting');
      await waitForShell(page);
      await typeInTerminal(page, 'echo "seen=$NETLAB_SEEN"\n');
      await waitForTerminalText(page, /^seen=yes/m);
      const text = await terminalText(page);
      expect(text.match(/^marker-42-before-reload/gm)?.length, 'replayed once, not duplicated').toBe(1);
      await context.close();
    },
    LONG * 2,
  );

  it(
    'should draw a typed key before the shell echoes it, and show it once when the echo comes, unless the learner turned predictive echo off',
    async () => {
      const context = await newContext(browser, server.url);
      const page = await context.newPage();
      // A relay between the page and the real server that can hold the server's frames: what the
      // screen shows while it holds them cannot have come from the shell's echo.
      let holding = false;
      const held: (string | Buffer)[] = [];
      let keysSent = 0;
      const relays: { send: (m: string | Buffer) => void }[] = [];
      await page.routeWebSocket(/\/terminals\/[^/]+\/ws$/, (ws) => {
        const shell = ws.connectToServer();
        relays.push(ws);
        shell.onMessage((m) => (holding ? held.push(m) : ws.send(m)));
        ws.onMessage((m) => {
          if (typeof m !== 'string' && m[0] === 0x00) keysSent++; // a DATA frame: input
          shell.send(m);
        });
      });
      const release = () => {
        holding = false;
        for (const m of held.splice(0)) relays.at(-1)!.send(m);
      };
      // Records whether the rows ever showed `text` at the end of the prompt line.
      const watchFor = (text: string) =>
        page.evaluate((t) => {
          const w = window as unknown as { __seen: boolean };
          w.__seen = false;
          const rows = document.querySelector('[role="tabpanel"]:not([hidden]) .xterm-rows')!;
          const atPrompt = new RegExp(`[$#] ${t}$`);
          const seen = () =>
            [...rows.children].some((r) => atPrompt.test(r.textContent!.replace(/\u00a0/g, ' ').trimEnd()));
          new MutationObserver(() => (w.__seen ||= seen())).observe(rows, {
            subtree: true,
            childList: true,
            characterData: true,
          });
        }, text);
      const afterNextFrames = () =>
        page.evaluate(
          () =>
            new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 0)),
        );

      await registerThroughUi(page);
      const id = await startAttemptByApi(page, 'example-hello');
      await page.goto(`/attempts/${id}`);
      await waitForShell(page);
      const toggle = page.getByRole('button', { name: 'Predictive echo' });
      expect(await toggle.getAttribute('aria-pressed'), 'on by default').toBe('true');
      await page.locator('[role="tabpanel"]:not([hidden]) .xterm-helper-textarea').first().focus();

      await watchFor('e');
      holding = true;
      await page.keyboard.press('e');
      await page.waitForFunction(() => (window as unknown as { __seen: boolean }).__seen, undefined, {
        timeout: 30_000,
      });
      release();
      await typeInTerminal(page, 'cho pred-$((40+2))\n');
      await waitForTerminalText(page, /^pred-42$/m);
      expect((await terminalText(page)).match(/echo pred-\$\(\(40\+2\)\)$/gm), 'drawn once').toHaveLength(1);

      // Turned off (and kept over a reload): nothing is drawn until the echo comes.
      await toggle.click();
      await page.reload();
      await waitForShell(page);
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await page.locator('[role="tabpanel"]:not([hidden]) .xterm-helper-textarea').first().focus();
      await watchFor('e');
      const sentBefore = keysSent;
      holding = true;
      await page.keyboard.press('e');
      await expect.poll(() => keysSent, { timeout: 30_000 }).toBeGreaterThan(sentBefore);
      await afterNextFrames();
      expect(await page.evaluate(() => (window as unknown as { __seen: boolean }).__seen)).toBe(false);
      release();
      await typeInTerminal(page, 'cho off-$((40+2))\n');
      await waitForTerminalText(page, /^off-42$/m);
      await context.close();
    },
    LONG,
  );

  it(
    'should mark the NetworkPolicy as the broken link of the path, map the isolated Pods, then pass when the policy opens the Pod port',
    async () => {
      const { context, page } = await learnerPage();
      const id = await startAttemptByApi(page, 'networkpolicy-blocks-api');
      await page.goto(`/attempts/${id}`);
      await waitForShell(page);
      await page
        .locator('[data-check-id="frontend-reaches-api"][data-status="fail"]')
        .waitFor({ timeout: LONG });
      expect(
        await page.locator('[data-check-id="frontend-reaches-api"] .check-diagnosis').innerText(),
      ).toMatch(/NetworkPolicy/);
      const diagram = page.locator('[data-check-id="frontend-reaches-api"] [data-testid="path-diagram"]');
      await diagram.waitFor();
      expect(await diagram.getAttribute('data-broken-hop')).toBe('policy');
      expect(await diagram.locator('.hop-broken').count()).toBe(1);
      expect(await diagram.locator('.hop-broken').innerText()).toMatch(/NetworkPolicy/i);
      expect(await diagram.locator('figcaption').innerText()).toMatch(/Breaks at NetworkPolicy/);
      await screenshot(page, 'path-diagram');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('tab', { name: 'Network map' }).click();
      await page.getByTestId('net-map').waitFor({ timeout: 60_000 });
      const isolated = page.locator('.map-pod-isolated');
      await isolated.first().waitFor();
      expect(await isolated.first().innerText()).toContain('default-deny-ingress');
      expect(await page.locator('.map-svc').count()).toBeGreaterThan(0);
      await screenshot(page, 'net-map');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('tab', { name: 'Checks' }).click();

      const [, ns, api] =
        /Namespace (\S+) runs three things: the (\S+) API/.exec(await instructionsText(page)) ?? [];
      expect(ns && api, 'the instructions name the namespace and the API').toBeTruthy();
      await typeInTerminal(
        page,
        `P=$(kubectl -n ${ns} get deploy ${api} -o jsonpath='{.spec.template.spec.containers[0].ports[0].containerPort}'); kubectl -n ${ns} patch networkpolicy api-allow-frontend --type=json -p "[{\\"op\\":\\"replace\\",\\"path\\":\\"/spec/ingress/0/ports/0/port\\",\\"value\\":$P}]"\n`,
      );
      await waitForTerminalText(page, /networkpolicy.networking.k8s.io\/api-allow-frontend patched/);
      await waitForAllChecks(page, 'pass', LONG);
      await page.getByText('Fixed. Every check passes.').waitFor({ timeout: LONG });
      await context.close();
    },
    LONG * 2,
  );

  it(
    'should pass the other seed labs when fixed through the terminal',
    async () => {
      const fixes: Record<string, { names: RegExp; fix: (a: string, ns: string) => string }> = {
        'example-hello': {
          names: /small web app called (\S+) in the namespace (\S+)\./,
          fix: (app, ns) => `kubectl -n ${ns} scale deployment ${app} --replicas=2`,
        },
        'wrong-targetport': {
          names: /The (\S+) app in namespace (\S+) is up/,
          fix: (app, ns) =>
            `P=$(kubectl -n ${ns} get deploy ${app} -o jsonpath='{.spec.template.spec.containers[0].ports[0].containerPort}'); kubectl -n ${ns} patch service ${app} --type=json -p "[{\\"op\\":\\"replace\\",\\"path\\":\\"/spec/ports/0/targetPort\\",\\"value\\":$P}]"`,
        },
      };
      const { context, page } = await learnerPage();
      for (const [slug, { names, fix }] of Object.entries(fixes)) {
        const id = await startAttemptByApi(page, slug);
        await page.goto(`/attempts/${id}`);
        await waitForShell(page);
        const [, app, ns] = names.exec(await instructionsText(page)) ?? [];
        expect(app && ns, `${slug}: the instructions name the app and namespace`).toBeTruthy();
        await typeInTerminal(page, `${fix(app!, ns!)}\n`);
        await waitForAllChecks(page, 'pass', LONG);
        await page.getByText('Fixed. Every check passes.').waitFor({ timeout: LONG });
      }
      await context.close();
    },
    LONG * 3,
  );

  it(
    'should show the queue position while every cluster is taken and move on by itself when one frees up',
    async () => {
      const first = await learnerPage(oneSlotServer);
      const firstId = await startAttemptByApi(first.page, 'example-hello');
      const second = await learnerPage(oneSlotServer);
      const page = second.page;
      await page
        .getByRole('article', { name: 'A Service that selects nothing' })
        .getByRole('button', { name: 'Start lab' })
        .click();
      await page.getByRole('heading', { name: 'Waiting for a free cluster' }).waitFor({ timeout: 60_000 });
      await page
        .getByTestId('queue-position')
        .filter({ hasText: /number 1 in the queue/ })
        .waitFor({ timeout: 60_000 });
      await screenshot(page, 'lab-room-queued');
      expect(await seriousViolations(page)).toEqual([]);

      // The first learner gives up; the second attempt provisions without a reload.
      const csrf = (await (await first.page.request.get('/api/auth/csrf')).json()) as { token: string };
      const gaveUp = await first.page.request.post(`/api/attempts/${firstId}/abandon`, {
        headers: { 'x-csrf-token': csrf.token },
      });
      expect(gaveUp.status()).toBe(200);
      await waitForShell(page);
      await first.context.close();
      await second.context.close();
    },
    LONG * 2,
  );
});
