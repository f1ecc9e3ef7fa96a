// The side panel's tools in headless Chromium: the terminal, the YAML editor, the inspector and
// the events panel, used as a learner following a tutorial would.
'use strict';

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { openPlayground, screenshot, applyExample } = require('./harness.cjs');

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

// Pastes text into the focused element as a clipboard paste would.
async function paste(page, text) {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text', text);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

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
  await page.getByRole('dialog', { name: 'Add a node' }).getByRole('button', { name: 'Add node' }).click();
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
  await paste(page, 'sim node add gpu-1 --label gpu=true\nkubectl get nodes -l gpu=true\nkubectl get no');
  await lastEntry(page).getByText('kubectl get nodes -l gpu=true').waitFor();
  assert.match(await lastEntry(page).locator('.terminal-stdout').textContent(), /\ngpu-1\s+/);
  assert.equal(await prompt.inputValue(), 'kubectl get no');
  assert.deepEqual(errors, []);
  await page.close();
});

const BROKEN = `apiVersion: v1
kind: Namespace
metadata:
  name: staging
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: broken
  namespace: staging
spec:
  selector:
    matchLabels:
      app: broken
  template:
    metadata:
      labels:
        app: broken
    spec:
      containers:
      - name: app
        ports:
        - containerPort: 80
`;

test('the editor applies an example and refuses broken YAML without applying any of it', async () => {
  const { page, errors } = await openPlayground();
  await openTab(page, 'Editor');
  const text = page.getByRole('textbox', { name: 'Manifest (YAML)' });
  await page.getByLabel('Load an example manifest').selectOption('fluentd-elasticsearch.yaml');
  const manifest = await text.inputValue();
  assert.match(manifest, /^ {6}- key: node-role.kubernetes.io\/control-plane$/m);
  assert.equal(await page.locator('.gutter-line').count(), manifest.split('\n').length);

  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('.editor-stdout', { hasText: 'daemonset.apps/fluentd-elasticsearch created' }).waitFor();
  // One collector per node, the tainted control plane included, in the grid.
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('.node-card')];
    return cards.length === 4 && cards.every((card) => card.textContent.includes('fluentd-elasticsearch-'));
  });
  await screenshot(page, 'tools-editor.png');

  // Two documents, the second invalid: the error names its line, the gutter marks it, and the
  // first document's namespace is not created either.
  await text.fill(BROKEN);
  await text.press('Control+Enter');
  const problem = page.locator('.editor-problems .problem').first();
  await problem.waitFor();
  assert.equal(
    await problem.textContent(),
    'line 21: The DaemonSet "broken" is invalid: spec.template.spec.containers[0].image: Required value',
  );
  assert.deepEqual(await page.locator('.gutter-line.error').allTextContents(), ['21']);
  await page.getByText('Nothing was applied').waitFor();
  await screenshot(page, 'tools-editor-error.png');
  // Clicking the problem selects its line in the text.
  await problem.click();
  assert.equal(
    await text.evaluate((element) => element.value.slice(element.selectionStart, element.selectionEnd)),
    '      - name: app',
  );

  await openTab(page, 'Terminal');
  await page.locator('.terminal-entry', { hasText: 'kubectl apply --dry-run=server -f -' }).last().waitFor();
  assert.equal(await page.locator('.terminal-command', { hasText: /^\$ kubectl apply -f - <<EOF$/ }).count(), 1);
  await run(page, 'kubectl get namespace staging');
  await lastEntry(page).getByText('Error from server (NotFound): namespaces "staging" not found').waitFor();

  // A YAML syntax error names its line too; Tab indents by two spaces.
  await openTab(page, 'Editor');
  await text.fill('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [staging\n');
  await page.getByRole('button', { name: 'Apply' }).click();
  assert.match(await problem.textContent(), /^line 4: error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: /);
  await text.fill('metadata:\n');
  await text.press('End');
  await text.press('Tab');
  await text.pressSequentially('name: x');
  assert.equal(await text.inputValue(), 'metadata:\n  name: x');
  // Picking an example asks before it replaces what was typed; declining keeps the text.
  page.once('dialog', (dialog) => dialog.dismiss());
  await page.getByLabel('Load an example manifest').selectOption('pi-parallel-job.yaml');
  assert.equal(await text.inputValue(), 'metadata:\n  name: x');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByLabel('Load an example manifest').selectOption('pi-parallel-job.yaml');
  assert.match(await text.inputValue(), /^kind: Job$/m);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the inspector shows describe and YAML of a picked pod, and says when it is gone', async () => {
  const { page, errors } = await openPlayground();
  await applyExample(page, 'fluentd-elasticsearch.yaml');
  await page.locator('.editor-stdout', { hasText: 'created' }).waitFor();
  await openTab(page, 'Inspector');
  await page.getByText('Nothing selected').waitFor();
  await page.getByLabel('Kind').selectOption('Pod');
  const object = page.getByLabel('Object');
  await page.waitForFunction(() => document.querySelectorAll('.inspector-picker option').length > 9);
  const first = await object.locator('option', { hasText: 'kube-system/fluentd-elasticsearch-' }).first().textContent();
  const name = first.split('/')[1];
  await object.selectOption({ label: first });

  const command = page.locator('.command-line code');
  await page.getByText(`kubectl describe pod ${name} -n kube-system`).waitFor();
  const describe = page.locator('.inspector-output');
  assert.match(await describe.textContent(), /^Name: +fluentd-elasticsearch-/);
  assert.match(await describe.textContent(), /\nControlled By: +DaemonSet\/fluentd-elasticsearch\n/);
  await screenshot(page, 'tools-inspector.png');

  await page.getByRole('button', { name: 'YAML', exact: true }).click();
  assert.equal(await command.textContent(), `kubectl get pod ${name} -n kube-system -o yaml`);
  assert.match(await describe.textContent(), /^apiVersion: v1\nkind: Pod\n/);
  // The status follows the cluster: the pod turns Running without a click.
  await page.locator('.inspector-output', { hasText: 'phase: Running' }).waitFor();

  await openTab(page, 'Terminal');
  await run(page, `kubectl delete pod ${name} -n kube-system --grace-period=0 --force`);
  await openTab(page, 'Inspector');
  await page.getByText(`Error from server (NotFound): pods "${name}" not found`).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the events panel lists events newest first, marks warnings, filters, and opens objects', async () => {
  const { page, errors } = await openPlayground();
  await applyExample(page, 'pi-parallel-job.yaml');
  await page.locator('.editor-stdout', { hasText: 'job.batch/pi created' }).waitFor();
  // A pod no node can fit: the scheduler records a Warning.
  await openTab(page, 'Terminal');
  const prompt = page.getByRole('textbox', { name: 'Command line' });
  await prompt.focus();
  await paste(
    page,
    'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: c\n    image: busybox:1.28\n    resources:\n      requests:\n        cpu: "64"\nEOF\n',
  );
  await lastEntry(page).getByText('pod/huge created').waitFor();

  await openTab(page, 'Events');
  const warning = page.locator('.events-table tr.warning', { hasText: 'FailedScheduling' }).first();
  await warning.waitFor();
  assert.match(await warning.textContent(), /Warning.*FailedScheduling.*pod\/huge.*0\/4 nodes are available/);
  const headers = await page.locator('.events-table th').allTextContents();
  assert.deepEqual(headers, ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  await page.locator('.events-table td.reason', { hasText: 'SuccessfulCreate' }).first().waitFor();
  await screenshot(page, 'tools-events.png');

  // Filter by kind, then by name.
  await page.getByLabel('Kind').selectOption('Job');
  const objects = await page.locator('.events-table td.object').allTextContents();
  assert.ok(objects.length > 0 && objects.every((object) => object === 'job/pi'), objects.join(', '));
  await page.getByLabel('Kind').selectOption('');
  await page.getByPlaceholder('Filter by name').fill('huge');
  assert.deepEqual(
    [...new Set(await page.locator('.events-table td.object').allTextContents())],
    ['pod/huge'],
  );
  // Clicking the object opens it in the inspector.
  await page.getByRole('button', { name: 'pod/huge' }).first().click();
  await page.getByRole('tab', { name: 'Inspector', selected: true }).waitFor();
  await page.getByText('kubectl describe pod huge -n default').waitFor();
  assert.match(await page.locator('.inspector-output').textContent(), /Warning +FailedScheduling/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every tool in dark mode and on a phone', async () => {
  for (const [suffix, options] of [
    ['dark', { colorScheme: 'dark' }],
    ['phone', { viewport: { width: 390, height: 844 } }],
  ]) {
    const { page, errors } = await openPlayground(options);
    await applyExample(page, 'httpd-rolling-update.yaml');
    await page.locator('.editor-stdout', { hasText: 'created' }).waitFor();
    await screenshot(page, `tools-editor-${suffix}.png`);
    await openTab(page, 'Terminal');
    await run(page, 'kubectl get pods -o wide');
    await lastEntry(page).getByText('httpd-').first().waitFor();
    await page.getByRole('textbox', { name: 'Command line' }).fill('kubectl rollout ');
    await page.getByRole('textbox', { name: 'Command line' }).press('Tab');
    await screenshot(page, `tools-terminal-${suffix}.png`);
    await openTab(page, 'Events');
    await page.locator('.events-table').waitFor();
    await screenshot(page, `tools-events-${suffix}.png`);
    await page.getByRole('button', { name: /^daemonset\/httpd/ }).first().click();
    await page.locator('.inspector-output').waitFor();
    await screenshot(page, `tools-inspector-${suffix}.png`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
