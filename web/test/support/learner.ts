import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';

/** A learner as the tests make them: a fresh email each time, a password the server accepts. */
export function newLearner(name = 'Ada Lovelace') {
  return {
    name,
    email: `learner-${randomUUID().slice(0, 8)}@example.com`,
    password: 'correct horse battery staple',
  };
}

/** Registers through the UI and lands on the catalog. */
export async function registerThroughUi(page: Page, learner = newLearner()) {
  await page.goto('/register');
  await page.getByLabel('Your name').fill(learner.name);
  await page.getByLabel('Email').fill(learner.email);
  await page.getByLabel('Password').fill(learner.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Labs', level: 1 }).waitFor();
  return learner;
}

/** Types into the visible terminal as a person would, key by key. */
export async function typeInTerminal(page: Page, text: string) {
  const input = page.locator('[role="tabpanel"]:not([hidden]) .xterm-helper-textarea').first();
  await input.focus();
  await input.pressSequentially(text, { delay: 5 });
}

/** Waits until the visible terminal's screen shows `pattern`. */
export async function waitForTerminalText(page: Page, pattern: RegExp, timeout = 60_000) {
  await page.waitForFunction(
    ([source, flags]) => {
      const rows = document.querySelector('[role="tabpanel"]:not([hidden]) .xterm-rows');
      return !!rows && new RegExp(source!, flags).test((rows as HTMLElement).innerText);
    },
    [pattern.source, pattern.flags],
    { timeout },
  );
}
