// The node grid in headless Chromium: adding, labelling, tainting, cordoning and failing nodes
// through the cards' menus and dialogs, pods inside their nodes, the unscheduled lane, the
// DaemonSet ghost slots and a hundred nodes on one screen.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, cardNames, screenshot, nodeCard: card, openNodeMenu: openMenu } = require('./harness.cjs');

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

/** Pastes command lines (heredocs included) into the terminal, which runs each complete line. */
async function paste(page, text) {
  await openTab(page, 'Terminal');
  const prompt = page.getByRole('textbox', { name: 'Command line' });
  await prompt.focus();
  await page.evaluate((data) => {
    const transfer = new DataTransfer();
    transfer.setData('text', data);
    document.activeElement.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
    );
  }, text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * Cards on screen where something covers the centre of the node's name or of a pod chip (a card
 * whose parts overlap), by node name.
 */
async function overlappingCards(page) {
  return page.locator('.node-card').evaluateAll((cards) => cards
    .filter((card) => [...card.querySelectorAll('.node-name, .pod-chip')].some((target) => {
      const box = target.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      if (box.width === 0 || y < 0 || y > innerHeight || x < 0 || x > innerWidth) return false;
      return !target.contains(document.elementFromPoint(x, y));
    }))
    .map((card) => card.dataset.node));
}

async function terminalShows(page, line) {
  await openTab(page, 'Terminal');
  await page.locator('.terminal-command', { hasText: line }).last().waitFor();
}

const WORKLOADS = `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluentd}
spec:
  selector: {matchLabels: {app: fluentd}}
  template:
    metadata: {labels: {app: fluentd}}
    spec:
      tolerations:
      - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
      containers:
      - {name: fluentd, image: fluentd, resources: {requests: {cpu: 500m, memory: 400Mi}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 6
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: pi, image: perl, command: [sleep, "3600"], resources: {requests: {cpu: "1", memory: 2Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
  - {name: c, image: busybox, resources: {requests: {cpu: "64"}}}
EOF
`;

test('adds a GPU node through the dialog, cordons it, labels and fails nodes from their menus', async () => {
  const { page, errors } = await openPlayground();
  // Beside the side panel at 1280px the cards are narrow; their parts must still not overlap.
  await card(page, 'node-3').waitFor();
  assert.deepEqual(await overlappingCards(page), []);

  await page.getByRole('button', { name: 'Add node' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a node' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Name').inputValue(), 'node-4');
  const preview = dialog.locator('.preview-line');
  assert.equal(await preview.textContent(), '$ sim node add node-4');
  await dialog.getByText('GPU node').click();
  const gpuLine =
    'sim node add node-4 --label nvidia.com/gpu.present=true --taint nvidia.com/gpu=present:NoSchedule --cpu 16 --memory 64Gi';
  assert.equal(await preview.textContent(), `$ ${gpuLine}`);
  await screenshot(page, 'grid-add-node-dialog.png', { fullPage: false });
  await dialog.getByRole('button', { name: 'Add node' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const gpu = card(page, 'node-4');
  const taint = gpu.locator('.chip.taint.no-schedule');
  assert.equal(await taint.textContent(), 'nvidia.com/gpu=present:NoSchedule');
  assert.deepEqual(await gpu.locator('.chip.label').allTextContents(), ['nvidia.com/gpu.present=true']);
  assert.match(await gpu.locator('.bar').first().getAttribute('title'), /cpu requested 0 of 16/);
  await terminalShows(page, gpuLine);

  // Cordon from the card's menu: each item shows its command line.
  const menu = await openMenu(page, 'node-4');
  const cordon = menu.getByRole('menuitem', { name: /Cordon/ });
  assert.equal(await cordon.locator('.menu-line').textContent(), 'kubectl cordon node-4');
  assert.equal(
    await menu.getByRole('menuitem', { name: /Drain/ }).locator('.menu-line').textContent(),
    'kubectl drain node-4 --ignore-daemonsets --delete-emptydir-data',
  );
  await screenshot(page, 'grid-node-menu.png', { fullPage: false });
  await cordon.click();
  await gpu.locator('.status.disabled', { hasText: 'SchedulingDisabled' }).waitFor();
  assert.match(await gpu.getAttribute('class'), /cordoned/);
  await terminalShows(page, 'kubectl cordon node-4');

  // The keyboard reaches the menu: ArrowDown opens it on its first item, Escape closes it.
  await page.getByRole('button', { name: 'Actions for node-4' }).focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'menuitem');
  await page.keyboard.press('ArrowUp');
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Remove node/);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Actions for node-4');
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: /Uncordon/ }).waitFor();
  await page.keyboard.press('Escape');

  // Label a node through its labels dialog; an invalid label shows kubectl's error in place.
  await (await openMenu(page, 'node-1')).getByRole('menuitem', { name: /Labels/ }).click();
  const labels = page.getByRole('dialog', { name: 'Labels of node-1' });
  assert.equal(await labels.locator('.preview-line').textContent(), '$ kubectl label node node-1 KEY=VALUE');
  await labels.getByLabel('Key').fill('disktype');
  await labels.getByLabel('Value').fill('ssd');
  assert.equal(await labels.locator('.preview-line').textContent(), '$ kubectl label node node-1 disktype=ssd');
  await labels.getByRole('button', { name: 'Add label' }).click();
  await card(page, 'node-1').locator('.chip.label', { hasText: 'disktype=ssd' }).waitFor();
  await labels.locator('.existing', { hasText: 'disktype=ssd' }).waitFor();
  // A label that landed clears the fields for the next one.
  await page.waitForFunction(() => document.querySelector('.edit-node input[aria-label="Key"]').value === '');
  assert.equal(
    await labels.getByRole('button', { name: 'Remove label disktype' }).getAttribute('title'),
    'kubectl label node node-1 disktype-',
  );
  await screenshot(page, 'grid-labels-dialog.png', { fullPage: false });
  await labels.getByLabel('Key').fill('bad key');
  await labels.getByLabel('Value').fill('x');
  assert.equal(await labels.locator('.preview-line').textContent(), "$ kubectl label node node-1 'bad key=x'");
  await labels.getByRole('button', { name: 'Add label' }).click();
  await labels.getByRole('alert').getByText(/invalid label spec: bad key=x/).waitFor();
  await page.keyboard.press('Escape');
  await labels.waitFor({ state: 'hidden' });

  // Failing a node stops its kubelet; after the grace period the node lifecycle controller
  // marks it NotReady (kubectl's word for a Ready condition of Unknown).
  await (await openMenu(page, 'node-2')).getByRole('menuitem', { name: /Fail node/ }).click();
  const failed = card(page, 'node-2');
  await failed.getByText('kubelet stopped').waitFor();
  await paste(page, 'sim advance 60s');
  await failed.locator('.status.not-ready', { hasText: 'NotReady' }).waitFor();
  assert.match(await failed.locator('.node-status').getAttribute('title'), /Kubelet stopped posting node status/);
  await (await openMenu(page, 'node-2')).getByRole('menuitem', { name: /Recover node/ }).click();
  await failed.locator('.status.ready').waitFor();

  // A command from a menu that fails shows its error as a toast: drain refuses a bare pod.
  await paste(
    page,
    'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  nodeName: node-3\n  containers: [{name: c, image: busybox}]\nEOF',
  );
  await card(page, 'node-3').getByRole('button', { name: /^pod lonely: / }).waitFor();
  await (await openMenu(page, 'node-3')).getByRole('menuitem', { name: /Drain/ }).click();
  const toast = page.locator('.toast[role="alert"]');
  await toast.getByText('$ kubectl drain node-3 --ignore-daemonsets --delete-emptydir-data').waitFor();
  assert.match(await toast.locator('.toast-message').textContent(), /cannot delete Pods that declare no controller/);
  await card(page, 'node-3').locator('.status.disabled').waitFor();
  // A node's name selects it for the inspector.
  await card(page, 'node-3').getByRole('button', { name: 'node-3', exact: true }).click();
  await page.getByRole('tab', { name: 'Inspector', selected: true }).waitFor();
  assert.match(await card(page, 'node-3').getAttribute('class'), /selected/);
  await screenshot(page, 'grid-nodes.png');
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await toast.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await page.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`pods sit in their nodes by owner and state, with the unscheduled lane and ghosts (${colorScheme})`, async () => {
    const { page, errors } = await openPlayground({ colorScheme, viewport: { width: 1440, height: 960 } });
    await paste(page, WORKLOADS);
    const worker = card(page, 'node-1');
    // The DaemonSet's pod runs on every worker and reads as Running with a check once ready.
    const daemon = worker.locator('.pod-chip.kind-ds');
    await worker.locator('.pod-chip.kind-ds.ready').waitFor();
    const name = await daemon.getAttribute('data-pod');
    assert.match(name, /^fluentd-/);
    assert.equal(await daemon.getAttribute('aria-label'), `pod ${name}: Running`);
    assert.equal(await page.locator('.pod-chip.kind-job').count(), 3);

    // The control plane's taint keeps fluentd off it, and its card says which taint.
    const ghost = card(page, 'control-plane').locator('.ghost[data-ghost="fluentd"]');
    assert.equal(
      await ghost.locator('.ghost-why').textContent(),
      'taint node-role.kubernetes.io/control-plane:NoSchedule',
    );

    // No node has 64 cpus: the pod waits in the unscheduled lane with the scheduler's message.
    const lane = page.getByRole('region', { name: /Unscheduled/ });
    await lane.getByRole('button', { name: 'pod huge: Pending' }).waitFor();
    assert.match(await lane.locator('.reason').textContent(), /^0\/4 nodes are available: 1 node\(s\) had untolerated taint/);

    // A NoExecute taint that fluentd tolerates for 300s starts the eviction countdown.
    await (await openMenu(page, 'node-3')).getByRole('menuitem', { name: /Taints/ }).click();
    const taints = page.getByRole('dialog', { name: 'Taints of node-3' });
    await taints.getByLabel('Key').fill('maintenance');
    await taints.getByLabel('Value').fill('kernel');
    await taints.getByLabel('Effect').selectOption('NoExecute');
    assert.equal(
      await taints.locator('.preview-line').textContent(),
      '$ kubectl taint node node-3 maintenance=kernel:NoExecute',
    );
    await taints.getByRole('button', { name: 'Add taint' }).click();
    await taints.locator('.existing .chip.taint.no-execute').waitFor();
    await page.keyboard.press('Escape');
    const countdown = card(page, 'node-3').locator('.ghost.evicting .ghost-why');
    assert.match(await countdown.textContent(), /^evicted in \d+s · maintenance$/);

    // Hovering a Job pod lights the Job's pods and dims the rest.
    await page.locator('.pod-chip.kind-job').first().hover();
    await page.locator('.nodes.highlighting').waitFor();
    assert.equal(await page.locator('.pod-chip.kind-job.lit').count(), 3);
    assert.ok((await page.locator('.pod-chip.kind-ds.dim').count()) >= 3);
    await page.mouse.move(0, 0);
    await page.locator('.nodes.highlighting').waitFor({ state: 'detached' });

    // A pod chip is a button that selects the pod for the inspector.
    await daemon.click();
    assert.equal(await daemon.getAttribute('aria-pressed'), 'true');
    await page.getByRole('tab', { name: 'Inspector', selected: true }).waitFor();

    await page.locator('.pod-chip:focus').evaluate((chip) => chip.blur());
    await screenshot(page, `grid-pods-${colorScheme}.png`);
    assert.deepEqual(await overlappingCards(page), []);

    // Deleting the Job: its pods turn Terminating, then fade out where they stood.
    await paste(page, 'kubectl delete job pi');
    await page.locator('.pod-chip.kind-job.terminating').first().waitFor();
    await page.locator('.pod-chip.kind-job.gone').first().waitFor();
    await page.locator('.pod-chip.kind-job').first().waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a hundred nodes fit one screen as compact cards', async () => {
  const { page, errors } = await openPlayground({ viewport: { width: 1440, height: 1000 } });
  const lines = [];
  for (let n = 4; n <= 99; n += 1) {
    lines.push(n % 10 === 0 ? `sim node add node-${n} --taint dedicated=db:NoSchedule` : `sim node add node-${n}`);
  }
  await paste(page, `${lines.join('\n')}\n${WORKLOADS}`);
  await card(page, 'node-99').waitFor();
  assert.equal((await cardNames(page)).length, 100);
  await page.locator('.nodes.compact').waitFor();
  await card(page, 'node-51').locator('.pod-chip.dot.kind-ds').waitFor();
  // Every tenth node is tainted: fluentd's slot there is an empty ghost that says why.
  assert.match(
    await card(page, 'node-50').locator('.ghost.dot').getAttribute('aria-label'),
    /^no pod of DaemonSet fluentd: No pod here: the node has the taint dedicated=db:NoSchedule/,
  );
  await screenshot(page, 'grid-100-nodes.png');
  assert.deepEqual(await overlappingCards(page), []);
  const box = await card(page, 'node-99').boundingBox();
  assert.ok(box.y + box.height <= 1000, `the last card ends at ${box.y + box.height}px`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('fits a phone screen in dark mode with pods', async () => {
  const { page, errors } = await openPlayground({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await paste(page, WORKLOADS);
  await card(page, 'node-1').locator('.pod-chip.kind-ds').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await screenshot(page, 'grid-phone-dark.png');
  await page.getByRole('button', { name: 'Add node' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a node' });
  await dialog.getByText('Control plane').click();
  assert.equal(
    await dialog.locator('.preview-line').textContent(),
    '$ sim node add node-4 --label node-role.kubernetes.io/control-plane= --taint node-role.kubernetes.io/control-plane:NoSchedule',
  );
  await screenshot(page, 'grid-add-node-phone-dark.png', { fullPage: false });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await page.close();
});
