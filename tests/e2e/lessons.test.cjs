// A lesson played through the page as a newcomer would: the lesson list first, a command run by
// clicking it in the prose, a failed check, a hint, a step passed by typing its solution, a step
// reset, and the rest applied to the finish screen. Then `?lesson=` links: a built-in name, a
// lesson file on the same origin, and the two mistakes (an unknown name, another site).
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, screenshot, openTab, runLines, nodeCard } = require('./harness.cjs');

const panel = (page) => page.locator('.lesson-panel');
const progress = (page) => panel(page).locator('.lesson-progress-text').textContent();

/** Waits for the current step to pass: the page re-checks after commands and when time is up. */
async function waitForPass(page, done) {
  await panel(page).locator('.lesson-progress-text', { hasText: `${done} of ` }).waitFor({ timeout: 30_000 });
}

test('a newcomer takes a lesson from the list to the finish', async () => {
  const { page, errors } = await openPlayground();
  // The first thing on the page: the lessons, with free play beside them.
  await page.getByRole('tab', { name: 'Lessons', selected: true }).waitFor();
  const cards = page.locator('.lesson-card');
  assert.equal(await cards.count(), 8);
  await page.getByRole('button', { name: /Free play/ }).waitFor();
  await screenshot(page, 'lessons-list.png');

  await cards.filter({ hasText: 'A pod on every node' }).getByRole('button').click();
  await panel(page).getByRole('heading', { name: 'A pod on every node' }).waitFor();
  assert.equal(await progress(page), '0 of 5 done');
  assert.match(page.url(), /\?lesson=daemonset-basics$/);
  await screenshot(page, 'lesson-step.png');

  // A command in the prose runs in the terminal when clicked.
  const runnable = panel(page).locator('.inline-code-action.run').first();
  const line = await runnable.locator('code').textContent();
  await runnable.click();
  await page.getByRole('tab', { name: 'Terminal', selected: true }).waitFor();
  await page.locator('.terminal-entry .terminal-command', { hasText: line }).waitFor();

  // Checking before doing anything fails, with the lesson's message and what the check saw.
  await panel(page).getByRole('button', { name: 'Check' }).click();
  const failed = panel(page).locator('.status-failed.asked');
  await failed.waitFor();
  assert.match(await failed.textContent(), /Not yet/);
  await screenshot(page, 'lesson-check-failed.png');

  // Hints open one at a time, counted.
  await panel(page).getByRole('button', { name: /^Hint \(1 of \d\)$/ }).click();
  await panel(page).locator('.hints li').first().waitFor();
  assert.match(await panel(page).locator('.hint-label').first().textContent(), /^Hint 1 of \d$/);
  assert.equal(await panel(page).locator('.hints li').count(), 1);

  // The learner types the solution into the terminal; the page checks after the command.
  await panel(page).getByRole('button', { name: 'Show solution' }).click();
  const solution = await panel(page).locator('.solution code').textContent();
  await runLines(page, solution);
  await waitForPass(page, 1);
  await panel(page).locator('.step-passed', { hasText: 'Step 1 done' }).waitFor();
  assert.equal(await panel(page).locator('.lesson-steps li.done').count(), 1);

  // Reset step puts the cluster back as the step found it: an extra node goes away.
  await runLines(page, 'sim node add scratch-node');
  await nodeCard(page, 'scratch-node').waitFor();
  await panel(page).getByRole('button', { name: 'Reset step' }).click();
  await nodeCard(page, 'scratch-node').waitFor({ state: 'detached' });
  assert.equal(await progress(page), '1 of 5 done');

  // The rest by applying each solution, fast-forwarding where a step passes a little later.
  for (let done = 2; done <= 5; done++) {
    await panel(page).getByRole('button', { name: 'Show solution' }).click();
    await panel(page).getByRole('button', { name: 'Apply solution' }).click();
    const fastForward = panel(page).getByRole('button', { name: /Fast-forward/ });
    const passed = panel(page).locator('.lesson-progress-text', { hasText: `${done} of ` });
    await fastForward.or(passed).first().waitFor({ timeout: 30_000 });
    if (await fastForward.isVisible()) {
      await fastForward.click();
    }
    await waitForPass(page, done);
  }
  const finish = panel(page).locator('.lesson-finish');
  await finish.getByRole('heading', { name: 'Lesson complete' }).waitFor();
  assert.match(await finish.textContent(), /All 5 steps of “A pod on every node” done, with 1 hint and 5 solutions/);
  await screenshot(page, 'lesson-finish.png');

  // Keep playing leaves the lesson and keeps the cluster.
  const nodes = await page.locator('.node-card').count();
  await finish.getByRole('button', { name: 'Keep playing' }).click();
  await panel(page).waitFor({ state: 'detached' });
  assert.equal(await page.locator('.node-card').count(), nodes);
  assert.doesNotMatch(page.url(), /lesson=/);
  assert.deepEqual(errors, []);
});

test('lesson links: a built-in name, a file on this site, and what is refused', async () => {
  const { page, errors } = await openPlayground();
  const base = page.url().replace(/\/[^/]*$/, '/');

  await page.goto(`${base}?lesson=jobs`);
  await panel(page).getByRole('heading', { name: /Jobs/ }).waitFor();

  // A docs site hosts its own lesson files beside the playground.
  await page.goto(`${base}?lesson=lessons/cronjobs.md`);
  await panel(page).getByRole('heading', { name: /CronJob/ }).waitFor();
  await openTab(page, 'Lessons');
  assert.equal(await page.locator('.lesson-error').count(), 0);

  await page.goto(`${base}?lesson=nope`);
  await page.locator('.lesson-error', { hasText: 'there is no built-in lesson "nope"' }).waitFor();
  assert.equal(await panel(page).count(), 0);

  await page.goto(`${base}?lesson=${encodeURIComponent('https://example.com/evil.md')}`);
  await page.locator('.lesson-error', { hasText: 'lessons load from this page\'s own origin' }).waitFor();
  // The page still works as a playground.
  await page.locator('.node-card').first().waitFor();

  await page.goto(`${base}?lesson=lessons/missing.md`);
  await page.locator('.lesson-error', { hasText: '404' }).waitFor();
  assert.deepEqual(errors.filter((error) => !error.includes('404')), []);
});
