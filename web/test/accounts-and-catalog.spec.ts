// The learner's way in, against the real server on sim (PGlite, fresh data dir): accounts, the
// catalog, and an accessibility scan of each page. Screenshots go to web/test/artifacts/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe';
import { launchBrowser, newContext, screenshot } from './support/browser';
import { newLearner, registerThroughUi } from './support/learner';
import { startRealServer, type RealServer } from './support/real-server';
import { buildWeb } from './support/web-build';

describe('accounts and catalog in a browser', () => {
  let server: RealServer;
  let closedServer: RealServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    buildWeb();
    [server, closedServer, browser] = await Promise.all([
      startRealServer(),
      startRealServer({ NETLAB_REGISTRATION: 'closed' }),
      launchBrowser(),
    ]);
    context = await newContext(browser, server.url);
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), closedServer?.stop()]);
  }, 60_000);

  it('should show each problem by its field and then land on the catalog when registering', async () => {
    await page.goto('/register');
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Email').fill(`grace-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    const problem = page.locator('#password-error');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/at least 8 characters/i);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'register-problem');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Labs', level: 1 }).waitFor();
    expect(await page.getByText('Grace Hopper').isVisible()).toBe(true);
  }, 120_000);

  it('should list every valid lab with its facts and filter by tag, difficulty and text', async () => {
    await page.goto('/');
    const cards = page.getByRole('list', { name: 'Labs' }).getByRole('article');
    await cards.first().waitFor();
    expect(await cards.count()).toBeGreaterThanOrEqual(6);
    const svc = page.getByRole('article', { name: 'A Service that selects nothing' });
    const text = await svc.innerText();
    expect(text).toContain('Beginner');
    expect(text).toContain('10 min');
    expect(text).toContain('#labels');
    expect(text).toContain('Not started');
    await screenshot(page, 'catalog');
    expect(await seriousViolations(page)).toEqual([]);

    await page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: /^networkpolicy/ })
      .click();
    await page.waitForURL(/tag=networkpolicy/);
    for (const t of await cards.allInnerTexts()) expect(t).toContain('#networkpolicy');
    await page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: /^networkpolicy/ })
      .click();

    await page.getByRole('radio', { name: 'Advanced' }).click();
    for (const t of await cards.allInnerTexts()) expect(t).toContain('Advanced');
    await page.getByRole('radio', { name: 'All levels' }).click();

    await page.keyboard.press('/');
    await page.keyboard.type('selector-mismatch');
    await page.waitForURL(/q=selector-mismatch/);
    expect(await cards.count()).toBe(1);
    expect(await cards.first().innerText()).toContain('A Service that selects nothing');
    await page.getByRole('searchbox').fill('no lab has this text');
    await page.getByText('No lab matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    expect(await cards.count()).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it("should show each lab's exam curriculum and keep only the labs of one exam when filtering by exam", async () => {
    const { labs } = (await (await page.request.get('/api/labs')).json()) as {
      labs: { title: string; curriculum: { exam: string; domain: string }[] }[];
    };
    const ckad = labs.filter((l) => l.curriculum.some((c) => c.exam === 'CKAD')).map((l) => l.title);
    expect(ckad.length).toBeGreaterThan(0);
    expect(ckad.length).toBeLessThan(labs.length);

    await page.goto('/');
    const cards = page.getByRole('list', { name: 'Labs' }).getByRole('article');
    await cards.first().waitFor();
    const svc = page.getByRole('article', { name: 'A Service that selects nothing' });
    const curriculum = svc.getByRole('list', { name: 'Exam curriculum' });
    expect(await curriculum.innerText()).toMatch(/CKA\s*Troubleshooting/);
    expect(await curriculum.innerText()).toMatch(/CKAD\s*Services and Networking/);

    const exams = page.getByRole('radiogroup', { name: 'Exam' });
    await exams.getByRole('radio', { name: 'CKAD' }).click();
    await page.waitForURL(/exam=CKAD/);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[aria-label="Labs"] article').length === n,
      ckad.length,
    );
    const shown = await cards.evaluateAll((els) => els.map((e) => e.querySelector('h2')!.textContent));
    expect(shown.sort()).toEqual([...ckad].sort());
    for (const t of await cards.allInnerTexts()) expect(t).toContain('CKAD');
    expect(await exams.getByRole('radio', { name: 'CKAD' }).getAttribute('aria-checked')).toBe('true');
    await screenshot(page, 'catalog-exam-ckad');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'catalog-exam-ckad-dark');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // The filter lives in the URL: a reload keeps it.
    await page.reload();
    await cards.first().waitFor();
    expect(await cards.count()).toBe(ckad.length);
    await exams.getByRole('radio', { name: 'All exams' }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[aria-label="Labs"] article').length === n,
      labs.length,
    );
  }, 120_000);

  it('should say so when the password is wrong and sign in when it is right', async () => {
    const ctx = await newContext(browser, server.url);
    const p = await ctx.newPage();
    const learner = await registerThroughUi(p, newLearner('Alan Turing'));
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByText('You are signed out.').waitFor();

    await p.getByLabel('Email').fill(learner.email);
    await p.getByLabel('Password').fill('not my password');
    await p.getByRole('button', { name: 'Sign in' }).click();
    const alert = p.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/do not match an account/);
    await screenshot(p, 'sign-in-wrong-password');
    expect(await seriousViolations(p)).toEqual([]);

    await p.getByLabel('Password').fill(learner.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Labs', level: 1 }).waitFor();
    await ctx.close();
  }, 120_000);

  it('should send the learner back where they were after signing in again when the session expired', async () => {
    const ctx = await newContext(browser, server.url);
    const p = await ctx.newPage();
    const learner = await registerThroughUi(p, newLearner('Katherine Johnson'));
    await p.getByRole('link', { name: 'My attempts' }).click();
    await p.getByRole('heading', { name: 'My attempts' }).waitFor();

    await ctx.clearCookies(); // the server forgets nothing, but the browser no longer has a session
    await p.reload();
    await p.waitForURL(/\/sign-in\?redirect=%2Fattempts/);
    await p.getByLabel('Email').fill(learner.email);
    await p.getByLabel('Password').fill(learner.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/attempts$/);
    await p.getByRole('heading', { name: 'My attempts' }).waitFor();
    await screenshot(p, 'attempts-empty');
    expect(await seriousViolations(p)).toEqual([]);

    // Mid-session expiry: the page notices on its next request and says why.
    await ctx.clearCookies();
    await p.getByRole('link', { name: 'Labs' }).click();
    await p.waitForURL(/\/sign-in\?.*reason=expired/);
    expect(await p.getByRole('status').first().innerText()).toMatch(/session expired/i);
    await ctx.close();
  }, 120_000);

  it('should say registration is closed when the server does not take new accounts', async () => {
    const ctx = await newContext(browser, closedServer.url);
    const p = await ctx.newPage();
    await p.goto('/register');
    const alert = p.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Registration is closed/);
    expect(await p.getByRole('button', { name: 'Create account' }).count()).toBe(0);
    await screenshot(p, 'register-closed');
    expect(await seriousViolations(p)).toEqual([]);

    await p.goto('/sign-in');
    await p.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(p, 'sign-in');
    expect(await seriousViolations(p)).toEqual([]);
    await ctx.close();
  }, 120_000);
});
