import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// One requester's session in a real browser against a dev node whose five providers (Bob ..
// Ferdie, simulator personas 0.9 .. 0.1) answer and judge: ask, watch the query settle, see the
// leaderboard move, delegate, and get a precise error. Screenshots of each step go to
// $LLMNET_SHOTS (default test-results/shots; docs/web holds the ones the docs show).
const rpc = process.env.LLMNET_RPC ?? 'ws://127.0.0.1:9944';
const shots = process.env.LLMNET_SHOTS ?? 'test-results/shots';
mkdirSync(shots, { recursive: true });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function open(page: Page, hash: string) {
  await page.goto(`./?rpc=${encodeURIComponent(rpc)}#/${hash}`);
  await expect(page.getByTestId('status')).toHaveClass(/(^|\s)connected(\s|$)/);
}

/** Bob's answer observations on the leaderboard of domain general. */
async function bobObservations(page: Page): Promise<number> {
  await open(page, 'providers');
  const row = page.getByTestId('leaderboard').locator('tr', { has: page.getByRole('link', { name: 'Bob', exact: true }) });
  await expect(row).toHaveCount(1);
  const text = await row.locator('td[data-testid^="obs-"]').innerText();
  return Number(text.split('/')[0].trim());
}

test.describe.configure({ mode: 'serial' });

test('connection status shows the chain, best and finalized blocks', async ({ page }) => {
  await open(page, 'ask');
  const status = page.getByTestId('status');
  await expect(status).toContainText('spec');
  const best = Number((await page.getByTestId('best').innerText()).slice(1));
  await expect.poll(async () => Number((await page.getByTestId('best').innerText()).slice(1))).toBeGreaterThan(best);
  await expect(page.getByTestId('account')).toContainText('Alice');
});

test('ask as Alice, watch the phases and the consensus, see the leaderboard change', async ({ page }) => {
  const before = await bobObservations(page);
  await shot(page, '1-leaderboard-before');

  await open(page, 'ask');
  await expect(page.getByTestId('prices').locator('tbody tr')).toHaveCount(5);
  await page.getByTestId('ask-prompt').fill('What is 6 x 7?');
  await page.getByTestId('ask-quote').click();
  await expect(page.getByTestId('quote')).toContainText('within their terms');
  await shot(page, '2-ask-with-quote');
  await page.getByTestId('ask-submit').click();
  await expect(page).toHaveURL(/#\/query\/\d+$/, { timeout: 60_000 });

  // The phases advance live; the page shows each as it comes.
  const phase = page.getByTestId('query-phase');
  await expect(phase).toHaveText(/Committing|Revealing|Judging/, { timeout: 60_000 });
  await shot(page, '3-query-in-progress');
  await expect(phase).toHaveText('Settled', { timeout: 240_000 });
  await expect(page.getByTestId('consensus-answer')).toHaveText('42');
  const timeline = page.getByTestId('timeline');
  for (const p of ['Committing', 'Revealing', 'Judging', 'settled']) await expect(timeline).toContainText(p);
  await expect(page.getByTestId('judgements').locator('tbody tr')).not.toHaveCount(0);
  await expect(page.getByTestId('respondents').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('respondents')).toContainText('42');
  await expect(page.getByTestId('payouts')).toContainText('Bob');
  await expect(page.getByTestId('reputation-changes')).toContainText('Bob');
  await shot(page, '4-query-settled');

  // A reloaded page (no live events) rebuilds the settled query from the node: its view, with
  // the kept outcome, and the events of its blocks (the e2e query test checks the kept outcome
  // through the runtime API alone).
  const url = page.url();
  await page.goto(url);
  await expect(page.getByTestId('consensus-answer')).toHaveText('42');
  await expect(page.getByTestId('respondents')).toContainText('42');

  await expect.poll(() => bobObservations(page), { timeout: 30_000 }).toBeGreaterThan(before);
  await shot(page, '5-leaderboard-after');

  // Bob's provider page: reputations, the reputation chart from recent events, feedback.
  await page.getByTestId('leaderboard').getByRole('link', { name: 'Bob', exact: true }).click();
  await expect(page).toHaveURL(/#\/provider\//);
  await expect(page.locator('svg.spark circle').first()).toBeVisible();
  await expect(page.getByText('Recent peer feedback')).toBeVisible();
  await shot(page, '9-provider-page');
});

test('tasks and calibration rounds', async ({ page }) => {
  await open(page, 'tasks');
  await expect(page.getByRole('heading', { name: 'Validation tasks' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Calibration rounds' })).toBeVisible();
  await shot(page, '10-tasks');
});

test('delegate to a provider and see the position', async ({ page }) => {
  await open(page, 'delegate');
  await expect(page.getByTestId('delegate-node').locator('option')).not.toHaveCount(0);
  const bob = await page.getByTestId('delegate-node').locator('option', { hasText: /^Bob / }).getAttribute('value');
  await page.getByTestId('delegate-node').selectOption(bob ?? '');
  await page.getByTestId('delegate-amount').fill('50');
  await page.getByTestId('delegate-submit').click();
  await expect(page.getByTestId('delegate-submit-result')).toContainText('in block', { timeout: 60_000 });
  const pos = page.getByTestId('position').filter({ has: page.getByRole('link', { name: 'Bob', exact: true }) });
  await expect(pos).toHaveCount(1);
  // 50 LLMN in pool shares (rounding in the pool's favour may leave a planck less).
  await expect(pos.getByTestId('position-value')).toHaveText(/^(50|49\.9999) LLMN$/);
  await shot(page, '6-delegated');
});

test('a budget above the balance gets the chain\'s precise error', async ({ page }) => {
  await open(page, 'ask');
  await page.getByTestId('ask-budget').fill('5000000');
  await page.getByTestId('ask-submit').click();
  const err = page.getByTestId('ask-submit-result');
  await expect(err).toHaveAttribute('role', 'alert', { timeout: 60_000 });
  await expect(err).toContainText(/FundsUnavailable|Insufficient|Balance/);
  await shot(page, '7-error');
  await page.getByTestId('ask-quote').click();
  await shot(page, '8-quote-error');
});
