// What every end-to-end file shares: the built site served on a loopback port, one headless
// Chromium, a page opened on the playground with its errors collected, and screenshots.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { after, before } = require('node:test');
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

async function screenshot(page, name, options = { fullPage: true }) {
  // Let the cards' join animations finish so the picture shows the settled page.
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState === 'finished' || a.effect?.getTiming().iterations === Infinity),
  );
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, name), ...options });
}

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

/** Types command lines into the terminal as a person would: a heredoc's lines one by one. */
async function runLines(page, lines) {
  await openTab(page, 'Terminal');
  const [first, ...rest] = lines.split('\n');
  const prompt = page.getByRole('textbox', { name: 'Command line' });
  await prompt.fill(first);
  await prompt.press('Enter');
  for (const line of rest) {
    const more = page.getByRole('textbox', { name: 'Continue the command' });
    await more.fill(line);
    await more.press('Enter');
  }
}

/** A node's card in the grid. */
const nodeCard = (page, name) => page.locator(`.node-card[data-node="${name}"]`);

/** Opens a node card's actions menu and returns it. */
async function openNodeMenu(page, node) {
  await page.getByRole('button', { name: `Actions for ${node}` }).click();
  const menu = page.getByRole('menu', { name: `Actions for ${node}` });
  await menu.waitFor();
  return menu;
}

/** Loads one of the editor's example manifests and applies it. */
async function applyExample(page, file) {
  await openTab(page, 'Editor');
  await page.getByLabel('Load an example manifest').selectOption(file);
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** Picks a speed in the header (`'600x'`). */
async function setSpeed(page, speed) {
  const radio = page.getByRole('radio', { name: speed, exact: true });
  await radio.click();
  await page.getByRole('radio', { name: speed, exact: true, checked: true }).waitFor();
}

module.exports = { openPlayground, cardNames, screenshot, openTab, runLines, nodeCard, openNodeMenu, applyExample, setSpeed };
