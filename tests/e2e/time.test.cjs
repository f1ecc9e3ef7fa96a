// Time in headless Chromium: the clock and its controls in the header, the workloads panel and
// the timelines, used as a learner would.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, openTab, runLines: run, screenshot } = require('./harness.cjs');

/** The virtual clock, in milliseconds since the epoch, from the header's `<time datetime>`. */
const clock = (page) =>
  page.locator('.clock time').evaluate((time) => Date.parse(time.getAttribute('datetime')));

const MINUTE = 60_000;

test('play and pause stop and start the clock; Space does too', async () => {
  const { page, errors } = await openPlayground();
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  await pause.click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.locator('.clock-state', { hasText: 'Paused' }).waitFor();
  const stopped = await clock(page);
  // At 1x a running clock moves within 1.5 s; a paused one must not.
  await page.waitForTimeout(1500);
  assert.equal(await clock(page), stopped);

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction((at) => Date.parse(document.querySelector('.clock time').getAttribute('datetime')) > at, stopped);

  // Space toggles when focus is on no control.
  await page.locator('.nodes h2').click();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();

  // ...but not while typing in a text field.
  await openTab(page, 'Terminal');
  await page.getByRole('textbox', { name: 'Command line' }).press('Space');
  assert.equal(await page.getByRole('button', { name: 'Pause', exact: true }).count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('3600x runs an hour of cluster time each second', async () => {
  const { page, errors } = await openPlayground();
  const speed = page.getByRole('radio', { name: '3600x', exact: true });
  await speed.click();
  assert.equal(await speed.getAttribute('aria-checked'), 'true');
  assert.equal(await page.getByRole('radio', { name: '1x', exact: true }).getAttribute('aria-checked'), 'false');
  const start = await clock(page);
  const wallStart = Date.now();
  await page.waitForFunction(
    (at) => Date.parse(document.querySelector('.clock time').getAttribute('datetime')) > at + 30 * 60_000,
    start,
    { timeout: 20_000 },
  );
  const moved = (await clock(page)) - start;
  const wall = (Date.now() - wallStart) / 1000;
  console.log(`3600x: ${Math.round(moved / MINUTE)} cluster minutes in ${wall.toFixed(1)} s`);
  assert.ok(moved > 30 * MINUTE);

  // Arrow keys move along the speeds.
  await speed.press('ArrowLeft');
  assert.equal(await page.getByRole('radio', { name: '600x', exact: true }).getAttribute('aria-checked'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('step runs `sim step` and lands on the next event', async () => {
  const { page, errors } = await openPlayground();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await run(page, 'kubectl create job pi --image=perl:5.34.0 -- perl -Mbignum=bpi -wle "print bpi(2000)"');
  await page.getByText('job.batch/pi created').waitFor();
  const before = await clock(page);
  await page.getByRole('button', { name: 'Step to the next event' }).click();
  await page.locator('.terminal-command', { hasText: 'sim step' }).waitFor();
  await page.getByText(/^stepped to /).first().waitFor();
  const after = await clock(page);
  assert.ok(after > before, `${after} > ${before}`);
  assert.ok(after - before < MINUTE, 'the next event of a new Job is seconds away');
  assert.deepEqual(errors, []);
  await page.close();
});

const JOB = `kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: parallel
spec:
  completions: 10
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", "sleep 20"]
EOF`;

test('the workloads panel lists a Job with its kubectl columns; suspend and resume it', async () => {
  const { page, errors } = await openPlayground();
  await openTab(page, 'Workloads');
  await page.getByText('No workloads yet').waitFor();

  await run(page, JOB);
  await page.getByText('job.batch/parallel created').waitFor();
  await openTab(page, 'Workloads');
  const card = page.locator('.workload[data-workload="parallel"]');
  await card.waitFor();
  const headers = await card.locator('.cell dt').allTextContents();
  assert.deepEqual(headers, ['STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
  await card.locator('.cell', { hasText: 'STATUS' }).locator('dd', { hasText: 'Running' }).waitFor();
  await card.locator('.cell', { hasText: 'COMPLETIONS' }).locator('dd', { hasText: /^\d+\/10$/ }).waitFor();

  // Its pods as lanes: never more than 3 at once.
  await page.getByRole('radio', { name: '60x', exact: true }).click();
  await card.locator('.job-timeline .bar.succeeded').first().waitFor();
  assert.ok((await card.locator('.job-timeline .lane').count()) <= 3);

  // Hovering highlights it.
  await card.hover();
  await page.locator('.workload.highlighted[data-workload="parallel"]').waitFor();

  // Suspend shows its command and runs it.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const suspend = card.getByRole('button', { name: 'Suspend' });
  assert.equal(await suspend.getAttribute('title'), `kubectl patch job parallel -p '{"spec":{"suspend":true}}'`);
  await suspend.click();
  await card.locator('.cell', { hasText: 'STATUS' }).locator('dd', { hasText: 'Suspended' }).waitFor();
  await screenshot(page, 'workloads-job-suspended.png');
  await card.getByRole('button', { name: 'Resume' }).click();
  await card.locator('.cell', { hasText: 'STATUS' }).locator('dd', { hasText: 'Running' }).waitFor();

  // The log has both.
  await openTab(page, 'Terminal');
  await page.locator('.terminal-command', { hasText: `kubectl patch job parallel -p '{"spec":{"suspend":true}}'` }).waitFor();
  await page.locator('.terminal-command', { hasText: `kubectl patch job parallel -p '{"spec":{"suspend":false}}'` }).waitFor();
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
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: hello
            image: busybox:1.36
            command: ["sh", "-c", "sleep 150"]
EOF`;

const DAEMON_SET = `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: httpd
spec:
  minReadySeconds: 30
  selector:
    matchLabels:
      app: httpd
  template:
    metadata:
      labels:
        app: httpd
    spec:
      containers:
      - name: httpd
        image: httpd:2.4.62
EOF`;

for (const colorScheme of ['light', 'dark']) {
  test(`timelines and the rollout read clearly at 600x (${colorScheme})`, async () => {
    const { page, errors } = await openPlayground({ colorScheme });
    await run(page, CRON_JOB);
    await page.getByText('cronjob.batch/hello created').waitFor();
    await run(page, DAEMON_SET);
    await page.getByText('daemonset.apps/httpd created').waitFor();
    await run(page, JOB);
    await page.getByText('job.batch/parallel created').waitFor();
    await run(page, 'kubectl create job flaky --image=busybox:1.36 -- sh -c "sleep 10; exit 1"');
    await page.getByText('job.batch/flaky created').waitFor();
    await openTab(page, 'Workloads');

    // Skip to the next run: exactly to the next minute.
    const skip = page.getByRole('button', { name: 'Skip to the next CronJob run' });
    const title = await skip.getAttribute('title');
    assert.match(title, /^Skip to the next CronJob run \(hello\): sim advance \d/);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await skip.click();
    assert.equal(new Date(await clock(page)).getUTCSeconds(), 0);

    await page.getByRole('radio', { name: '600x', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const cron = page.locator('.workload[data-workload="hello"]');
    // Forbid with runs of 150 s every minute: each run makes the next time wait, and the one after
    // that supersedes it, skipped.
    await cron.locator('.cron-timeline .mark.skipped').first().waitFor({ timeout: 20_000 });
    await cron.locator('.cron-timeline .bar.succeeded').first().waitFor({ timeout: 20_000 });
    assert.ok((await cron.locator('.cron-timeline .mark.next').count()) >= 1);
    await cron.locator('.caption', { hasText: /^next run / }).waitFor();

    // Roll the DaemonSet out and watch its progress.
    const ds = page.locator('.workload[data-workload="httpd"]');
    await ds.getByRole('button', { name: 'Set image' }).click();
    const image = ds.getByRole('textbox', { name: 'Image for container httpd' });
    await image.fill('httpd:2.4.63');
    await ds.locator('.form-line', { hasText: 'kubectl set image ds/httpd httpd=httpd:2.4.63' }).waitFor();
    await page.getByRole('radio', { name: '10x', exact: true }).click();
    await ds.getByRole('button', { name: 'Roll out' }).click();
    await ds.locator('.rollout-line', { hasText: /^Waiting for daemon set "httpd" rollout to finish: / }).waitFor();
    assert.equal(await ds.getByRole('progressbar').getAttribute('aria-valuemax'), '3');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await screenshot(page, `workloads-${colorScheme}.png`);
    await screenshot(page, `header-${colorScheme}.png`, { clip: { x: 0, y: 0, width: 1280, height: 64 } });
    await cron.screenshot({ path: require('node:path').join(__dirname, 'output', `cronjob-timeline-${colorScheme}.png`) });
    const job = page.locator('.workload[data-workload="parallel"]');
    await job.screenshot({ path: require('node:path').join(__dirname, 'output', `job-timeline-${colorScheme}.png`) });
    const flaky = page.locator('.workload[data-workload="flaky"]');
    await flaky.locator('.bar.backoff').first().waitFor();
    await flaky.screenshot({ path: require('node:path').join(__dirname, 'output', `job-timeline-failures-${colorScheme}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the time controls fit a phone screen', async () => {
  const { page, errors } = await openPlayground({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  const controls = await page.locator('.time-controls').boundingBox();
  assert.ok(controls.x >= 0 && controls.x + controls.width <= 390, JSON.stringify(controls));
  await screenshot(page, 'header-phone-dark.png', { clip: { x: 0, y: 0, width: 390, height: 160 } });
  assert.deepEqual(errors, []);
  await page.close();
});
