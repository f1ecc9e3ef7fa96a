// Frame times at scale, in headless Chromium: 100 nodes, a DaemonSet rolling out across them and
// a Job of parallelism 50, at 600x. The cluster is built through the page's own terminal. This
// prints the figures; it asserts only that frames were recorded, never how fast they were (the
// machine decides that). `cargo xtask e2e --release performance` gives the real figures.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, openTab, runLines: run, screenshot } = require('./harness.cjs');

const NODES = 100;
const RECORD_MS = 10_000;

// Each pod takes a minute to count as available, so rolling 100 nodes one by one lasts longer
// than the recording even at 600x.
const DAEMON_SET = `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  minReadySeconds: 60
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: agent:1.0
EOF`;

const JOB = `kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: crunch
spec:
  completions: 2000
  parallelism: 50
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: crunch
        image: busybox:1.36
        command: ["sh", "-c", "sleep 300"]
EOF`;

function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

test(`frame times at ${NODES} nodes with a DaemonSet rolling and a Job of parallelism 50 at 600x`, { timeout: 600_000 }, async () => {
  const { page, errors } = await openPlayground({ viewport: { width: 1440, height: 900 } });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await openTab(page, 'Terminal');
  const existing = await page.locator('.node-card').count();
  for (let i = existing; i < NODES; i++) {
    await run(page, `sim node add node-${i}`);
  }
  await page.locator('.node-card').nth(NODES - 1).waitFor();
  await run(page, DAEMON_SET);
  await page.getByText('daemonset.apps/agent created').waitFor();
  await run(page, 'sim advance 5m');
  await run(page, JOB);
  await page.getByText('job.batch/crunch created').waitFor();
  await run(page, 'kubectl set image ds/agent agent=agent:2.0');
  await page.getByText('daemonset.apps/agent image updated').waitFor();
  await openTab(page, 'Workloads');
  await page.getByRole('radio', { name: '600x', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).click();

  const intervals = await page.evaluate(
    (duration) =>
      new Promise((resolve) => {
        const times = [];
        const start = performance.now();
        const frame = (now) => {
          times.push(now);
          if (now - start < duration) {
            requestAnimationFrame(frame);
          } else {
            resolve(times.slice(1).map((time, i) => time - times[i]));
          }
        };
        requestAnimationFrame(frame);
      }),
    RECORD_MS,
  );
  const rollout = await page.locator('.workload[data-workload="agent"] .rollout-line').textContent().catch(() => 'done');
  const clock = await page.locator('.clock time').getAttribute('datetime');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await screenshot(page, 'performance-100-nodes.png', { fullPage: false });

  assert.ok(intervals.length > 10, `only ${intervals.length} frames were recorded`);
  const sorted = [...intervals].sort((a, b) => a - b);
  const slow = intervals.filter((interval) => interval > 50).length;
  const figure = (ms) => `${ms.toFixed(1)} ms`;
  console.log(
    [
      `frames: ${intervals.length} in ${RECORD_MS / 1000} s (${(intervals.length / (RECORD_MS / 1000)).toFixed(1)} fps)`,
      `p50 ${figure(percentile(sorted, 50))}, p95 ${figure(percentile(sorted, 95))}, p99 ${figure(percentile(sorted, 99))}, max ${figure(sorted[sorted.length - 1])}`,
      `frames over 50 ms: ${slow} (${((100 * slow) / intervals.length).toFixed(1)}%)`,
      `cluster clock at the end: ${clock}; rollout: ${rollout?.trim()}`,
    ].join('\n'),
  );
  assert.deepEqual(errors, []);
  await page.close();
});
