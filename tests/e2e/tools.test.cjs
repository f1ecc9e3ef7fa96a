// The side panel's tools in headless Chromium: the terminal, the YAML editor, the inspector and
// the events panel, used as a learner following a tutorial would.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, screenshot } = require('./harness.cjs');

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

async function run(page, line) {
  const prompt = page.getByRole('textbox', { name: 'Command line' });
  await prompt.fill(line);
  await prompt.press('Enter');
}

const lastEntry = (page) => page.locator('.terminal-entry').last();

test('the terminal runs kubectl, completes with Tab and recalls history', async () => {
  const { page, errors } = await openPlayground();
  await openTab(page, 'Terminal');

  await run(page, 'kubectl get nodes');
  await lastEntry(page).locator('.terminal-command', { hasText: 'kubectl get nodes' }).waitFor();
  const table = await lastEntry(page).locator('.terminal-stdout').textContent();
  assert.match(table, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
  assert.match(table, /\ncontrol-plane\s+Ready\s+control-plane\s/);
  assert.equal(table.trim().split('\n').length, 5, table);

  // Tab completes a resource type, then a name among several shows the list.
  const prompt = page.getByRole('textbox', { name: 'Command line' });
  await prompt.fill('kubectl get no');
  await prompt.press('Tab');
  assert.equal(await prompt.inputValue(), 'kubectl get nodes ');
  await prompt.pressSequentially('node-');
  await prompt.press('Tab');
  assert.equal(await prompt.inputValue(), 'kubectl get nodes node-');
  const offered = await page.locator('.terminal-candidates .candidate-value').allTextContents();
  assert.deepEqual(offered, ['node-1', 'node-2', 'node-3']);
  await prompt.pressSequentially('2');
  await prompt.press('Tab');
  assert.equal(await prompt.inputValue(), 'kubectl get nodes node-2 ');
  await prompt.press('Enter');
  await lastEntry(page).locator('.terminal-stdout', { hasText: 'node-2' }).waitFor();

  // Errors are on stderr, in red; the button's command shows too.
  await run(page, 'kubectl get pods nope');
  const stderr = lastEntry(page).locator('.terminal-stderr');
  assert.equal(await stderr.textContent(), 'Error from server (NotFound): pods "nope" not found\n');
  const red = await stderr.evaluate((element) => getComputedStyle(element).color);
  assert.notEqual(red, await lastEntry(page).locator('.terminal-command').evaluate((e) => getComputedStyle(e).color));
  await page.getByRole('button', { name: 'Add node' }).click();
  await lastEntry(page).getByText('sim node add node-4').waitFor();

  // History: ArrowUp walks back through every command run, ArrowDown returns to the draft.
  await prompt.fill('draft');
  await prompt.press('ArrowUp');
  assert.equal(await prompt.inputValue(), 'sim node add node-4');
  await prompt.press('ArrowUp');
  assert.equal(await prompt.inputValue(), 'kubectl get pods nope');
  await prompt.press('ArrowDown');
  await prompt.press('ArrowDown');
  assert.equal(await prompt.inputValue(), 'draft');

  // A heredoc typed over several lines runs once it is closed.
  await prompt.fill('kubectl apply -f - <<EOF');
  await prompt.press('Enter');
  const more = page.getByRole('textbox', { name: 'Continue the command' });
  for (const line of ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: tools']) {
    await more.fill(line);
    await more.press('Enter');
  }
  await more.fill('EOF');
  await more.press('Enter');
  await lastEntry(page).getByText('namespace/tools created').waitFor();

  // Output stays scrolled to the bottom.
  const scroll = page.locator('.terminal-scroll');
  await page.waitForFunction(() => {
    const element = document.querySelector('.terminal-scroll');
    return element.scrollHeight - element.scrollTop - element.clientHeight < 2;
  });

  // Clicking anywhere in the terminal puts the focus on the prompt; Ctrl+L clears.
  await page.locator('[data-node="node-1"]').click();
  await scroll.click({ position: { x: 10, y: 10 } });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Command line');
  await screenshot(page, 'tools-terminal.png');
  await prompt.press('Control+l');
  await page.locator('.terminal-entry').first().waitFor({ state: 'detached' });
  await run(page, 'clear');
  assert.equal(await page.locator('.terminal-entry').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a multi-line paste runs each complete line', async () => {
  const { page, errors } = await openPlayground();
  await openTab(page, 'Terminal');
  const prompt = page.getByRole('textbox', { name: 'Command line' });
  await prompt.focus();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text', 'sim node add gpu-1 --label gpu=true\nkubectl get nodes -l gpu=true\nkubectl get no');
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await lastEntry(page).getByText('kubectl get nodes -l gpu=true').waitFor();
  assert.match(await lastEntry(page).locator('.terminal-stdout').textContent(), /\ngpu-1\s+/);
  assert.equal(await prompt.inputValue(), 'kubectl get no');
  assert.deepEqual(errors, []);
  await page.close();
});
