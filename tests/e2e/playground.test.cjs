// The built playground in headless Chromium: it opens on the default cluster, and the
// buttons change it. Run by `cargo xtask test` after the release build (KUBEPLAY_DIST).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, test } = require('node:test');
// Installed outside the clone by xtask and found through NODE_PATH.
const { chromium } = require('playwright-core');
const { serve } = require('./static-server.cjs');

const DIST = process.env.KUBEPLAY_DIST ?? path.join(__dirname, '../../dist');
const OUTPUT = path.join(__dirname, 'output');

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `no build in ${DIST}: run trunk build first`);
  server = await serve(DIST);
  browser = await chromium.launch({
    executablePath: process.env.KUBEPLAY_CHROMIUM ?? '/usr/bin/chromium',
    // Playwright gives each launch a fresh temporary profile (user data dir).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPlayground(options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  await page.goto(server.url);
  await page.locator('.node-card').first().waitFor();
  return { page, errors };
}

const cardNames = (page) =>
  page.locator('.node-card').evaluateAll((cards) => cards.map((card) => card.dataset.node));

async function screenshot(page, name) {
  // Let the cards' join animations finish so the picture shows the settled page.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState === 'finished'));
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, name), fullPage: true });
}

test('opens on the default cluster, and "Add node" adds a fifth node', async () => {
  const { page, errors } = await openPlayground();
  assert.deepEqual(await cardNames(page), ['control-plane', 'node-1', 'node-2', 'node-3']);
  await page.getByRole('heading', { name: 'kubeplay' }).waitFor();

  await page.getByRole('button', { name: 'Add node' }).click();
  await page.locator('[data-node="node-4"]').waitFor();
  assert.equal(await page.locator('.node-card').count(), 5);
  await page.getByText('$ sim node add node-4').waitFor();

  await screenshot(page, 'playground.png');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const reducedMotion of ['no-preference', 'reduce']) {
  test(`"Remove node-2" removes that node after its leave animation (motion: ${reducedMotion})`, async () => {
    const { page, errors } = await openPlayground({ reducedMotion });
    await page.getByRole('button', { name: 'Remove node-2' }).click();
    await page.locator('[data-node="node-2"]').waitFor({ state: 'detached' });
    assert.deepEqual(await cardNames(page), ['control-plane', 'node-1', 'node-3']);
    await page.getByText('$ sim node remove node-2').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('is reachable by keyboard: Tab to "Add node", Enter adds a node', async () => {
  const { page, errors } = await openPlayground();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '+Add node');
  await page.keyboard.press('Enter');
  await page.locator('[data-node="node-4"]').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(
    await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
    'Remove control-plane',
  );
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
