// The built playground in headless Chromium: it opens on the default cluster, and the
// buttons change it. Run by `cargo xtask test` after the release build (KUBEPLAY_DIST).
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, cardNames, openTab, screenshot } = require('./harness.cjs');

test('opens on the default cluster, and "Add node" adds a fifth node', async () => {
  const { page, errors } = await openPlayground();
  assert.deepEqual(await cardNames(page), ['control-plane', 'node-1', 'node-2', 'node-3']);
  await page.getByRole('heading', { name: 'kubeplay' }).waitFor();

  await page.getByRole('button', { name: 'Add node' }).click();
  await page.getByRole('dialog', { name: 'Add a node' }).getByRole('button', { name: 'Add node' }).click();
  await page.locator('[data-node="node-4"]').waitFor();
  assert.equal(await page.locator('.node-card').count(), 5);
  // The new card is brought into view and marked, wherever in the grid it landed.
  await page.locator('[data-node="node-4"][data-arrived]').waitFor();
  assert.ok(await page.locator('[data-node="node-4"]').evaluate((card) => {
    const box = card.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }), 'node-4 is on screen');
  // Switching from the workloads to a tool keeps the grid's columns where they were.
  const columns = () => page.locator('.node-grid').evaluate((grid) => getComputedStyle(grid).gridTemplateColumns);
  const before = await columns();
  await openTab(page, 'Editor');
  assert.equal(await columns(), before);
  await openTab(page, 'Terminal');
  await page.locator('.terminal-command', { hasText: 'sim node add node-4' }).waitFor();

  await screenshot(page, 'playground.png');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const reducedMotion of ['no-preference', 'reduce']) {
  test(`"Remove node-2" removes that node after its leave animation (motion: ${reducedMotion})`, async () => {
    const { page, errors } = await openPlayground({ reducedMotion });
    await page.getByRole('button', { name: 'Actions for node-2' }).click();
    await page.getByRole('menuitem', { name: /Remove node/ }).click();
    await page.locator('[data-node="node-2"]').waitFor({ state: 'detached' });
    assert.deepEqual(await cardNames(page), ['control-plane', 'node-1', 'node-3']);
    await openTab(page, 'Terminal');
    await page.locator('.terminal-command', { hasText: 'sim node remove node-2' }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('is reachable by keyboard: Tab through the time controls to "Add node", Enter opens the dialog on the name, Enter adds', async () => {
  const { page, errors } = await openPlayground();
  const focused = () =>
    page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent.trim());
  // A skip link past the page first, then the header's time controls: play/pause, the speeds
  // (one stop), step ("skip to the next CronJob run" is disabled without CronJobs), share.
  for (const expected of ['Skip to the tools', 'Pause', '1x', 'Step to the next event', 'Share', '+Add node']) {
    await page.keyboard.press('Tab');
    assert.equal(await focused(), expected);
  }
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Add a node' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.value), 'node-4');
  await page.keyboard.press('Enter');
  await page.locator('[data-node="node-4"]').waitFor();
  await page.getByRole('dialog', { name: 'Add a node' }).waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '+Add node');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'control-plane');
  assert.deepEqual(errors, []);
  await page.close();
});

test('fits a phone screen in dark mode', async () => {
  const { page, errors } = await openPlayground({
    viewport: { width: 390, height: 844 },
    colorScheme: 'dark',
  });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await screenshot(page, 'playground-phone-dark.png');
  assert.deepEqual(errors, []);
  await page.close();
});
