// The tutorials' stories played through the UI as a learner would: a DaemonSet following new
// nodes and node labels, a NoExecute taint evicting a pod, a parallel Job's limit, and a
// CronJob's history limit at 600x.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const {
  openPlayground,
  screenshot,
  openTab,
  runLines,
  nodeCard,
  openNodeMenu,
  applyExample,
  setSpeed,
} = require('./harness.cjs');

const WORKERS = ['node-1', 'node-2', 'node-3'];

/** A workload card's cells in the workloads panel, as `{ HEADER: value }`. */
const cells = (page, name) =>
  page
    .locator(`.workload[data-workload="${name}"] .cell`)
    .evaluateAll((all) =>
      Object.fromEntries(all.map((cell) => [cell.querySelector('dt').textContent, cell.querySelector('dd').textContent])),
    );

/** The output of the last command run in the terminal. */
async function lastOutput(page, line) {
  const entry = page.locator('.terminal-entry').last();
  await entry.locator('.terminal-command', { hasText: line }).waitFor();
  return entry.locator('.terminal-stdout').textContent();
}

test('a new node gets its daemon pod', async () => {
  const { page, errors } = await openPlayground();
  await setSpeed(page, '10x');
  await applyExample(page, 'fluentd-elasticsearch.yaml');
  await page.locator('.editor-stdout', { hasText: 'daemonset.apps/fluentd-elasticsearch created' }).waitFor();
  const daemonPod = (node) => nodeCard(page, node).locator('.pod-chip.kind-ds[data-pod^="fluentd-elasticsearch-"]');
  for (const node of WORKERS) {
    await daemonPod(node).and(page.locator('.ready')).waitFor();
  }
  const before = await page.locator('.pod-chip[data-pod^="fluentd-elasticsearch-"]').evaluateAll((chips) =>
    chips.map((chip) => chip.dataset.pod),
  );

  await page.getByRole('button', { name: 'Add node' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a node' });
  assert.equal(await dialog.locator('.preview-line').textContent(), '$ sim node add node-4');
  await dialog.getByRole('button', { name: 'Add node' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The DaemonSet controller makes a pod for the node it had not seen, and it turns Ready there.
  const arrived = daemonPod('node-4');
  await arrived.and(page.locator('.ready')).waitFor({ timeout: 30_000 });
  assert.equal(await arrived.count(), 1);
  const name = await arrived.getAttribute('data-pod');
  assert.ok(!before.includes(name), `${name} is a new pod`);
  assert.equal(await arrived.getAttribute('aria-label'), `pod ${name}: Running`);
  // The pods already running elsewhere stayed where they were.
  for (const node of WORKERS) assert.equal(await daemonPod(node).count(), 1);
  await openTab(page, 'Workloads');
  await page
    .locator('.workload[data-workload="fluentd-elasticsearch"] .cell', { has: page.locator('dt', { hasText: /^READY$/ }) })
    .locator('dd', { hasText: /^5$/ })
    .waitFor();
  await screenshot(page, 'tutorial-1-daemon-pod-on-new-node.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('labelling a node disktype=ssd brings the fluentd pod to it', async () => {
  const { page, errors } = await openPlayground();
  await setSpeed(page, '10x');
  await applyExample(page, 'fluentd-ssd.yaml');
  await page.locator('.editor-stdout', { hasText: 'daemonset.apps/fluentd created' }).waitFor();
  // Every worker shows an empty slot saying why: the nodeSelector does not match.
  for (const node of WORKERS) {
    const ghost = nodeCard(page, node).locator('.ghost[data-ghost="fluentd"]');
    await ghost.waitFor();
    assert.equal(await ghost.locator('.ghost-why').textContent(), 'needs disktype=ssd');
    assert.match(
      await ghost.getAttribute('aria-label'),
      /nodeSelector disktype=ssd does not match: the node has no label disktype/,
    );
  }
  const fluentd = page.locator('.pod-chip[data-pod^="fluentd-"]');
  assert.equal(await fluentd.count(), 0);

  await (await openNodeMenu(page, 'node-1')).getByRole('menuitem', { name: /Labels/ }).click();
  const labels = page.getByRole('dialog', { name: 'Labels of node-1' });
  await labels.getByLabel('Key').fill('disktype');
  await labels.getByLabel('Value').fill('ssd');
  assert.equal(await labels.locator('.preview-line').textContent(), '$ kubectl label node node-1 disktype=ssd');
  await labels.getByRole('button', { name: 'Add label' }).click();
  await labels.locator('.existing', { hasText: 'disktype=ssd' }).waitFor();
  await page.keyboard.press('Escape');
  await labels.waitFor({ state: 'hidden' });

  const landed = nodeCard(page, 'node-1').locator('.pod-chip.kind-ds[data-pod^="fluentd-"]');
  await landed.and(page.locator('.ready')).waitFor({ timeout: 30_000 });
  await nodeCard(page, 'node-1').locator('.ghost[data-ghost="fluentd"]').waitFor({ state: 'detached' });
  // Only node-1: the other workers keep their explained empty slot.
  assert.equal(await fluentd.count(), 1);
  for (const node of ['node-2', 'node-3']) {
    assert.equal(await nodeCard(page, node).locator('.ghost[data-ghost="fluentd"] .ghost-why').textContent(), 'needs disktype=ssd');
  }
  await runLines(page, 'kubectl get pods -l app=fluentd -o wide');
  assert.match(await lastOutput(page, 'kubectl get pods -l app=fluentd -o wide'), /\nfluentd-\S+\s+1\/1\s+Running\s.*\snode-1\s/);
  await screenshot(page, 'tutorial-2-fluentd-on-ssd-node.png');
  assert.deepEqual(errors, []);
  await page.close();
});

const VICTIM_AND_TOLERANT = `kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      tolerations:
      - key: key
        operator: Exists
        effect: NoExecute
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sleep", "infinity"]
EOF`;

test('a NoExecute taint evicts the pod that does not tolerate it', async () => {
  const { page, errors } = await openPlayground();
  await runLines(page, VICTIM_AND_TOLERANT);
  await page.getByText('daemonset.apps/node-agent created').waitFor();
  const web = page.locator('.pod-chip[data-pod="web"]');
  await page.locator('.node-card').locator(web).and(page.locator('.ready')).waitFor({ timeout: 30_000 });
  const node = await page.locator('.node-card', { has: web }).getAttribute('data-node');
  const agent = nodeCard(page, node).locator('.pod-chip.kind-ds[data-pod^="node-agent-"]');
  await agent.and(page.locator('.ready')).waitFor({ timeout: 30_000 });
  const agentName = await agent.getAttribute('data-pod');

  await (await openNodeMenu(page, node)).getByRole('menuitem', { name: /Taints/ }).click();
  const taints = page.getByRole('dialog', { name: `Taints of ${node}` });
  await taints.getByLabel('Key').fill('key');
  await taints.getByLabel('Value').fill('value');
  await taints.getByLabel('Effect').selectOption('NoExecute');
  assert.equal(await taints.locator('.preview-line').textContent(), `$ kubectl taint node ${node} key=value:NoExecute`);
  await taints.getByRole('button', { name: 'Add taint' }).click();
  await taints.locator('.existing .chip.taint.no-execute').waitFor();
  await page.keyboard.press('Escape');
  await nodeCard(page, node).locator('.chip.taint.no-execute', { hasText: 'key=value:NoExecute' }).waitFor();

  // The taint eviction controller deletes the pod: it terminates for its grace period, then goes.
  const leaving = nodeCard(page, node).locator('.pod-chip[data-pod="web"]');
  await leaving.and(page.locator('.terminating')).waitFor();
  assert.equal(await leaving.getAttribute('aria-label'), 'pod web: Terminating');
  await screenshot(page, 'tutorial-3-noexecute-terminating.png');
  await setSpeed(page, '60x');
  await page.locator('.pod-chip[data-pod="web"]').waitFor({ state: 'detached', timeout: 30_000 });
  // A bare pod has no controller to bring it back anywhere.
  await runLines(page, 'kubectl get pod web');
  await page.locator('.terminal-entry').last().getByText('Error from server (NotFound): pods "web" not found').waitFor();

  // The daemon pod that tolerates the taint stays, the same pod, still Ready.
  assert.equal(await agent.getAttribute('data-pod'), agentName);
  assert.match(await agent.getAttribute('class'), /\bready\b/);
  await openTab(page, 'Events');
  await page.locator('.events-table tr', { hasText: 'TaintManagerEviction' }).filter({ hasText: 'pod/web' }).first().waitFor();
  await screenshot(page, 'tutorial-3-noexecute-evicted.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a Job with completions 10 and parallelism 3 never runs more than 3 pods', async () => {
  const { page, errors } = await openPlayground();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await applyExample(page, 'pi-parallel-job.yaml');
  await page.locator('.editor-stdout', { hasText: 'job.batch/pi created' }).waitFor();
  await openTab(page, 'Workloads');
  await page.locator('.workload[data-workload="pi"]').waitFor();
  await setSpeed(page, '10x');
  await page.getByRole('button', { name: 'Play', exact: true }).click();

  // Every frame, count the Job's pods that are Running and those not yet finished, until the
  // workloads panel says Complete 10/10.
  const seen = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const started = performance.now();
        let maxRunning = 0;
        let maxActive = 0;
        let frames = 0;
        const sample = () => {
          frames += 1;
          const chips = [...document.querySelectorAll('.pod-chip.kind-job[data-pod^="pi-"]:not(.gone)')];
          const running = chips.filter((chip) => chip.dataset.status === 'Running').length;
          const active = chips.filter((chip) => !/\b(completed|failed|terminating)\b/.test(chip.className)).length;
          maxRunning = Math.max(maxRunning, running);
          maxActive = Math.max(maxActive, active);
          const cells = Object.fromEntries(
            [...document.querySelectorAll('.workload[data-workload="pi"] .cell')].map((cell) => [
              cell.querySelector('dt').textContent,
              cell.querySelector('dd').textContent,
            ]),
          );
          const done = cells.STATUS === 'Complete' && cells.COMPLETIONS === '10/10';
          if (done || performance.now() - started > 60_000) {
            resolve({ done, cells, maxRunning, maxActive, frames, seconds: (performance.now() - started) / 1000 });
          } else {
            requestAnimationFrame(sample);
          }
        };
        requestAnimationFrame(sample);
      }),
  );
  console.log(`pi: ${JSON.stringify(seen)}`);
  assert.ok(seen.done, `the Job did not complete: ${JSON.stringify(seen.cells)}`);
  assert.ok(seen.maxRunning <= 3, `${seen.maxRunning} pods ran at once`);
  assert.ok(seen.maxActive <= 3, `${seen.maxActive} pods were active at once`);
  assert.equal(seen.maxRunning, 3, 'parallelism 3 was reached');
  assert.equal(await page.locator('.pod-chip.kind-job.completed[data-pod^="pi-"]').count(), 10);
  assert.ok((await page.locator('.workload[data-workload="pi"] .job-timeline .lane').count()) <= 3);
  await screenshot(page, 'tutorial-4-parallel-job-complete.png');
  assert.deepEqual(errors, []);
  await page.close();
});

const CRON_JOB = `kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  successfulJobsHistoryLimit: 3
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox:1.28
            command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
EOF`;

test('a CronJob every minute at 600x keeps 3 successful Jobs', async () => {
  const { page, errors } = await openPlayground();
  await runLines(page, CRON_JOB);
  await page.getByText('cronjob.batch/hello created').waitFor();
  const clock = () => page.locator('.clock time').evaluate((time) => Date.parse(time.getAttribute('datetime')));
  const start = await clock();
  await openTab(page, 'Workloads');
  const cron = page.locator('.workload[data-workload="hello"]');
  await cron.waitFor();
  assert.equal((await cells(page, 'hello'))['LAST SCHEDULE'], '<none>');

  await setSpeed(page, '600x');
  // Eight minutes of cluster time: at least seven runs, the last ones finished.
  await page.waitForFunction(
    (at) => Date.parse(document.querySelector('.clock time').getAttribute('datetime')) > at + 8 * 60_000,
    start,
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  assert.notEqual((await cells(page, 'hello'))['LAST SCHEDULE'], '<none>');
  // The timeline still draws runs whose Jobs the history limit deleted.
  const pastRuns = await cron.locator('.cron-timeline .bar').count();
  assert.ok(pastRuns >= 6, `${pastRuns} runs on the timeline`);
  await screenshot(page, 'tutorial-5-cronjob-history.png');

  await runLines(page, 'kubectl get jobs -o json');
  const list = JSON.parse(await lastOutput(page, 'kubectl get jobs -o json'));
  const ours = list.items.filter((job) =>
    (job.metadata.ownerReferences ?? []).some((owner) => owner.kind === 'CronJob' && owner.name === 'hello'),
  );
  const succeeded = ours.filter((job) =>
    (job.status.conditions ?? []).some((condition) => condition.type === 'Complete' && condition.status === 'True'),
  );
  assert.ok(succeeded.length >= 1, `${succeeded.length} successful Jobs`);
  assert.ok(succeeded.length <= 3, `${succeeded.length} successful Jobs kept: ${succeeded.map((job) => job.metadata.name)}`);
  // The CronJob created more Jobs than are left: the history limit deleted the oldest.
  await openTab(page, 'Events');
  const created = await page
    .locator('.events-table tr', { hasText: 'SuccessfulCreate' })
    .filter({ hasText: 'cronjob/hello' })
    .count();
  const deleted = await page
    .locator('.events-table tr', { hasText: 'SuccessfulDelete' })
    .filter({ hasText: 'cronjob/hello' })
    .count();
  assert.ok(created >= 6, `${created} runs created`);
  assert.ok(deleted >= created - 4, `${deleted} of ${created} Jobs deleted`);
  assert.deepEqual(errors, []);
  await page.close();
});
