// The playground in someone else's page: the example docs site's three embeds (a <kube-play>
// figure with an inline manifest, a sandboxed iframe with a lesson, a headless playground the
// page drives), the host's API and events, what the iframe refuses, independent clusters, share
// links in a new page and in the CLI, and the standalone page's autosave.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test } = require('node:test');
const { openPlayground, screenshot, runLines } = require('./harness.cjs');

const CLI = process.env.KUBEPLAY_CLI ?? path.join(__dirname, '../../target/debug/kubeplay');

/** The docs page, every embed started and answering. */
async function openDocs(options = {}) {
  const { page, errors } = await openPlayground(options);
  const base = page.url();
  // How many times the docs page itself fetches the engine (its iframe is a page of its own).
  page.engineFetches = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/kubeplay-web_bg.wasm') && request.frame() === page.mainFrame()) page.engineFetches += 1;
  });
  const started = Date.now();
  await page.goto(`${base}docs/`);
  await page.waitForFunction(() => document.body.dataset.drivenReady === 'true');
  await page.evaluate(() => document.querySelector('kube-play').ready);
  await page.locator('kube-play .node-card').first().waitFor();
  const interactive = Date.now() - started;
  return { page, errors, base, interactive };
}

/** Connects to the lesson iframe over its MessagePort. */
const connectFrame = (page, selector = '#lesson-frame', timeout = 10_000) =>
  page.evaluate(
    async ({ selector, timeout }) => {
      const { connect } = await import('/embed.js');
      window.remote = await connect(document.querySelector(selector), { timeout });
      return true;
    },
    { selector, timeout },
  );

test('the docs page: every embed loads, at 1280 and 390 pixels wide', async () => {
  const { page, errors, interactive } = await openDocs();
  console.log(`# the docs page's element embed answered ${interactive} ms after navigation`);
  // The figure: the inline manifest's DaemonSet on every worker, the grid alone, read-only.
  const figure = page.locator('kube-play');
  await figure.locator('.pod-chip.kind-ds').nth(2).waitFor();
  assert.equal(await figure.locator('.side-panel').count(), 0, 'view="grid" shows the grid alone');
  assert.equal(await figure.locator('.app-header').count(), 0);
  assert.equal(await figure.getByRole('button', { name: /Add node/ }).isVisible(), false, 'read-only');
  // The sandboxed iframe runs its lesson.
  await page.locator('#lesson-frame').scrollIntoViewIfNeeded();
  const frame = page.frameLocator('#lesson-frame');
  await frame.locator('.lesson-panel').getByRole('heading', { name: 'A pod on every node' }).waitFor();
  // The headless playground, driven by the page's buttons, draws nothing of its own.
  await page.getByRole('button', { name: 'Create the DaemonSet' }).click();
  await page.getByRole('button', { name: 'Wait 30 seconds' }).click();
  await page.locator('#driven-pods li', { hasText: 'Running' }).nth(2).waitFor();
  assert.equal(await page.locator('#driven .kubeplay').count(), 0);
  await screenshot(page, 'docs-1280.png');
  await figure.screenshot({ path: path.join(__dirname, 'output/embed-element.png') });
  await page.locator('#lesson-frame').screenshot({ path: path.join(__dirname, 'output/embed-iframe.png') });
  await page.locator('#driven').screenshot({ path: path.join(__dirname, 'output/embed-headless.png') });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the docs page is ${overflow}px wider than a phone`);
  await screenshot(page, 'docs-390.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the host runs commands and hears what happened; two embeds are two clusters', async () => {
  const { page, errors } = await openDocs();
  const result = await page.evaluate(async () => {
    const figure = document.querySelector('kube-play').playground;
    const heard = [];
    const watcher = figure.watch('command', (event) => heard.push(event));
    const times = [];
    figure.watch('time', (event) => times.push(event.now));
    const added = await figure.exec('sim node add node-4');
    const listed = await figure.exec('kubectl get nodes node-4 -o name');
    const failed = await figure.exec('kubectl get pods nope');
    watcher.remove();
    await figure.exec('kubectl get ns');
    await figure.advance('90s');
    // A second element on the page is a cluster of its own.
    const second = document.createElement('kube-play');
    second.setAttribute('loading', 'eager');
    second.setAttribute('view', 'terminal');
    document.querySelector('main').append(second);
    const other = await second.ready;
    const nodes = await other.exec('kubectl get nodes -o name');
    const fluentd = await other.exec('kubectl get ds');
    return { added, listed, failed, heard: heard.map((event) => event.line), times: times.length, nodes: nodes.stdout, fluentd };
  });
  assert.deepEqual(result.added, { stdout: 'node/node-4 added\n', stderr: '', exitCode: 0 });
  assert.equal(result.listed.stdout, 'node/node-4\n');
  assert.deepEqual(result.failed, {
    stdout: '',
    stderr: 'Error from server (NotFound): pods "nope" not found\n',
    exitCode: 1,
  });
  assert.deepEqual(result.heard, ['sim node add node-4', 'kubectl get nodes node-4 -o name', 'kubectl get pods nope']);
  assert.ok(result.times > 0, 'time events arrive');
  assert.equal(result.nodes, 'node/control-plane\nnode/node-1\nnode/node-2\nnode/node-3\n');
  assert.equal(result.fluentd.stderr, 'No resources found in default namespace.\n');
  assert.equal(page.engineFetches, 1, 'the figure, the headless playground and the second element share one engine');
  // The figure shows the new node the host added.
  await page.locator('kube-play').first().locator('[data-node="node-4"]').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sandboxed iframe answers its host and refuses what it should', async () => {
  const { page, errors } = await openDocs();
  await page.locator('#lesson-frame').scrollIntoViewIfNeeded();
  await connectFrame(page);
  const answers = await page.evaluate(async () => {
    const events = [];
    window.remote.watch('command', (event) => events.push(event.line));
    const nodes = await window.remote.exec('kubectl get nodes -o name');
    const lesson = await window.remote.getLesson();
    const refused = await window.remote.show('nowhere').then(() => 'shown', (error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { nodes: nodes.stdout, lesson, refused, events };
  });
  assert.equal(answers.nodes, 'node/control-plane\nnode/node-1\nnode/node-2\nnode/node-3\n');
  assert.equal(answers.lesson.title, 'A pod on every node');
  assert.equal(answers.lesson.total, 5);
  assert.match(answers.refused, /show takes lessons, workloads/);
  assert.deepEqual(answers.events, ['kubectl get nodes -o name']);

  // A hello from a window that is not the frame's parent is ignored: no port, no answer.
  const foreign = await page.evaluate(async () => {
    const other = document.createElement('iframe');
    other.srcdoc = '<script>window.hello = (target) => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = () => resolve("answered"); target.postMessage({ kubeplay: "hello", version: 1 }, "*", [channel.port2]); setTimeout(() => resolve("ignored"), 1500); });<\/script>';
    document.body.append(other);
    await new Promise((resolve) => (other.onload = resolve));
    return other.contentWindow.hello(document.getElementById('lesson-frame').contentWindow);
  });
  assert.equal(foreign, 'ignored');

  // A frame that allows one host origin does not answer another.
  const refusedOrigin = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.id = 'picky';
    frame.src = '/embed.html?origin=https://docs.example.com&view=grid';
    frame.setAttribute('sandbox', 'allow-scripts');
    document.body.append(frame);
    const { connect } = await import('/embed.js');
    return connect(frame, { timeout: 2500 }).then(() => 'connected', (error) => error.message);
  });
  assert.equal(refusedOrigin, 'kubeplay: the iframe did not answer');

  // An option outside the allow-list is a clear error in the frame, not a broken page.
  const bad = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.id = 'bad';
    frame.src = '/embed.html?speed=fast';
    frame.setAttribute('sandbox', 'allow-scripts');
    document.body.append(frame);
    await new Promise((resolve) => (frame.onload = resolve));
    return true;
  });
  assert.ok(bad);
  await page.frameLocator('#bad').locator('.kubeplay-frame-error', { hasText: '`speed` is one of 1x, 10x, 60x, 600x, 3600x, not "fast"' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a share link opens the same cluster in a new page and in the CLI; a corrupt one says so', async () => {
  const { page, errors, base } = await openDocs();
  const { link, pods } = await page.evaluate(async () => {
    const playground = window.drivenPlayground;
    await playground.exec('kubectl create job pi --image=perl -- sleep 40');
    await playground.exec('sim node add node-4 --label disktype=ssd');
    await playground.advance('25s');
    const pods = (await playground.query('kubectl get pods -o json')).stdout;
    return { link: await playground.getShareUrl(), pods };
  });
  assert.match(link, /\/index\.html#k1:[A-Za-z0-9_-]+$/);

  // The standalone page opens it, in a browser profile of its own.
  const { page: fresh } = await openPlayground();
  await fresh.goto(link);
  await fresh.locator('[data-node="node-4"]').waitFor();
  await runLines(fresh, 'kubectl get pods -o json');
  const entry = fresh.locator('.terminal-entry').last();
  await entry.locator('.terminal-command', { hasText: 'kubectl get pods -o json' }).waitFor();
  assert.deepEqual(JSON.parse(await entry.locator('.terminal-stdout').textContent()), JSON.parse(pods));

  // So does the CLI.
  if (fs.existsSync(CLI)) {
    const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-link-')), 'cluster.json');
    execFileSync(CLI, ['init', '--state', state, '--from-url', link]);
    const cli = execFileSync(CLI, ['--state', state, 'kubectl', 'get', 'pods', '-o', 'json']).toString();
    assert.deepEqual(JSON.parse(cli), JSON.parse(pods));
  } else {
    console.log(`# no CLI at ${CLI}: the CLI half runs in tests/scenarios/share.rs`);
  }

  // A corrupt link: a clear message and the default playground, never a hang.
  // A new query makes it a new document (a changed fragment alone would not reload the page).
  await fresh.goto(`${base}index.html?corrupt#k1:this-is-not-a-link`);
  await fresh.locator('.banner.bad', { hasText: 'This link could not be opened: the link is damaged' }).waitFor();
  await fresh.locator('[data-node="node-3"]').waitFor();
  await fresh.goto(`${base}index.html?future#k7:abc`);
  await fresh.locator('.banner.bad', { hasText: 'format "k7"' }).waitFor();
  await screenshot(fresh, 'share-link-corrupt.png');
  assert.deepEqual(errors, []);
  await page.close();
  await fresh.close();
});

test('the standalone page saves its session and offers it back, or starts fresh', async () => {
  const { page, errors } = await openPlayground();
  await runLines(page, 'sim node add saved-node');
  await page.locator('[data-node="saved-node"]').waitFor();
  // Saving happens after each command; a reload offers the session back.
  await page.waitForTimeout(200);
  await page.reload();
  const offer = page.getByRole('region', { name: 'Your last session' });
  await offer.waitFor();
  assert.equal(await page.locator('[data-node="saved-node"]').count(), 0, 'nothing is restored unasked');
  await offer.getByRole('button', { name: 'Restore' }).click();
  await page.locator('[data-node="saved-node"]').waitFor();
  await page.reload();
  await page.getByRole('region', { name: 'Your last session' }).getByRole('button', { name: 'Start fresh' }).click();
  await page.reload();
  await page.locator('.node-card').first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('region', { name: 'Your last session' }).count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an embed fits its container at 360, 640, 900 and 1280 pixels wide, in the theme it asks for', async () => {
  const { page, errors } = await openDocs({ viewport: { width: 1400, height: 900 } });
  for (const width of [360, 640, 900, 1280]) {
    const report = await page.evaluate(async (width) => {
      const box = document.createElement('div');
      box.style.width = `${width}px`;
      box.innerHTML = '<kube-play loading="eager" theme="dark" height="700"></kube-play>';
      document.querySelector('main').prepend(box);
      const element = box.firstElementChild;
      await element.ready;
      await new Promise((resolve) => setTimeout(resolve, 150));
      const root = element.querySelector('.kubeplay');
      const limit = box.getBoundingClientRect();
      const tabs = [...root.querySelectorAll('[role=tab]')].map((tab) => {
        const rect = tab.getBoundingClientRect();
        return rect.width > 0 && rect.left >= limit.left - 1 && rect.right <= limit.right + 1;
      });
      const report = {
        overflow: root.scrollWidth - root.clientWidth,
        tabs,
        dark: root.classList.contains('theme-dark'),
        grid: root.querySelector('.node-card') !== null,
      };
      await element.playground.destroy();
      box.remove();
      return report;
    }, width);
    assert.ok(report.overflow <= 1, `${width}px: the playground is ${report.overflow}px wider than its box`);
    assert.equal(report.tabs.length, 6, `${width}px: every tab`);
    assert.ok(report.tabs.every(Boolean), `${width}px: every tab is within the box: ${report.tabs}`);
    assert.ok(report.dark, `${width}px: theme="dark"`);
    assert.ok(report.grid, `${width}px: the grid shows`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
