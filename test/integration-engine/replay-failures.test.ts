/**
 * When the replay check itself cannot run, inside VS Code on the real engine: a half-edited file, a
 * module that blocks on import, a folder that does not define the workflow, an interpreter without
 * the SDK, a broken interpreter. Each is its own message with what to do, and never a verdict: no
 * reset point is marked.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/commands/ids';
import type { CheckFailure, CheckFailureKind, CheckedRun } from '../../src/replay';
import { ENGINE_DEMO } from '../../sandbox/engine/sandbox';
import { description } from '../integration/helpers/env';
import { ScriptedUi } from '../integration/helpers/scriptedUi';
import { notificationLinks } from '../helpers/notificationLinks';
import { ENGINE, eventsOf, useEngineEnv, type EngineEnv } from './helpers';

function workspaceRoot(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'a folder is open');
  return root;
}

describe('On the real engine: a replay check that cannot run says why and what to do', function () {
  this.timeout(120_000);
  const world = useEngineEnv();
  let env: EngineEnv;
  let venvTarget: string;
  const id = ENGINE_DEMO.completed;
  before(() => {
    env = world();
    venvTarget = fs.readlinkSync(path.join(workspaceRoot(), '.venv'));
  });

  /** Runs the check on the seeded completed order; asserts the failure kind, the notification and no marks. */
  async function failsWith(kind: CheckFailureKind, message: RegExp): Promise<CheckFailure> {
    const check = await vscode.commands.executeCommand<CheckedRun>(COMMAND_IDS.checkReplay, id);
    assert.ok(check, 'the command returns the check');
    assert.equal(check.result.outcome, 'failed', JSON.stringify(check.result));
    if (check.result.outcome !== 'failed') throw new Error('unreachable');
    assert.equal(check.result.kind, kind, JSON.stringify(check.result));
    const shown = await env.ui.waitForNotification(/^The replay check could not run/);
    env.ui.notifications.length = 0;
    assert.deepEqual(notificationLinks(shown.message), [], 'what the code said makes no link');
    assert.match(shown.message.replace(/\u200b/g, ''), message);
    assert.ok(shown.message.replace(/\u200b/g, '').includes(check.result.whatToDo), 'the message says what to do');
    const { node, events } = await eventsOf(env, id);
    assert.equal(events.filter((e) => e.replayMark !== undefined).length, 0, 'no reset point is marked');
    assert.doesNotMatch(description(node), /replays|diverges/);
    return check.result;
  }

  it('an import error in a workspace file: that file and its line', async () => {
    const file = path.join(workspaceRoot(), 'workflows', 'half_edited.py');
    fs.writeFileSync(file, 'def broken(:\n    pass\n');
    try {
      const failure = await failsWith('importError', /SyntaxError/);
      assert.equal(path.basename(failure.file ?? ''), 'half_edited.py');
      assert.equal(failure.line, 1);
      assert.match(failure.whatToDo, /half_edited\.py:1/);
    } finally {
      fs.rmSync(file);
    }
  });

  it('code that prints or raises the API key: the message and the end of its output show *** instead', async () => {
    const file = path.join(workspaceRoot(), 'workflows', 'leaky.py');
    // Workspace code can read a key by itself (its own .env, say): what it prints must not travel.
    fs.writeFileSync(file, `import sys\nprint("stderr: ${ENGINE.apiKey}", file=sys.stderr)\nraise RuntimeError("the key is ${ENGINE.apiKey} [x](command:workbench.action.quit)")\n`);
    try {
      const raised = await failsWith('importError', /RuntimeError: the key is \*\*\*/);
      assert.ok(!JSON.stringify(raised).includes(ENGINE.apiKey), JSON.stringify(raised));
      fs.writeFileSync(file, `import os, sys\nprint("stderr: ${ENGINE.apiKey}", file=sys.stderr, flush=True)\nos._exit(3)\n`);
      const crashed = await failsWith('crashed', /exited with code 3/);
      assert.match(crashed.stderrTail ?? '', /stderr: \*\*\*/);
      assert.ok(!JSON.stringify(crashed).includes(ENGINE.apiKey), JSON.stringify(crashed));
      assert.ok(!ScriptedUi.shown.some((m) => m.includes(ENGINE.apiKey)), 'no notification showed the key');
    } finally {
      fs.rmSync(file);
    }
  });

  it('a module that blocks when imported: stopped at the time limit', async () => {
    const file = path.join(workspaceRoot(), 'workflows', 'slow_import.py');
    fs.writeFileSync(file, 'import time\ntime.sleep(120)\n');
    const config = vscode.workspace.getConfiguration('mistralWorkflows');
    await config.update('replayCheck.timeoutSeconds', 5, vscode.ConfigurationTarget.Global);
    try {
      await failsWith('timeout', /did not finish within 5 s and was stopped/);
    } finally {
      await config.update('replayCheck.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(file);
    }
  });

  it('a folder that does not define the workflow: the class is not found', async () => {
    const file = path.join(workspaceRoot(), 'workflows', 'orders.py');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.includes('name="order-fulfillment"'));
    fs.writeFileSync(file, text.replace('name="order-fulfillment"', 'name="order-fulfillment-v2"'));
    try {
      await failsWith('classNotFound', /No workflow class named 'order-fulfillment'/);
    } finally {
      fs.writeFileSync(file, text);
    }
  });

  it('an interpreter without the SDK: install it there, or pick the worker’s', async () => {
    const venv = path.join(workspaceRoot(), '.venv');
    fs.rmSync(venv);
    // A real, empty virtual environment of the same Python: everything but the SDK.
    execFileSync(path.join(venvTarget, 'bin', 'python'), ['-m', 'venv', '--without-pip', venv]);
    try {
      const failure = await failsWith('sdkMissing', /temporalio|mistralai/);
      assert.match(failure.whatToDo, /pip install mistralai-workflows/);
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
      fs.symlinkSync(venvTarget, venv);
    }
  });

  it('an interpreter that cannot be started: which one, and how to choose another', async () => {
    const venv = path.join(workspaceRoot(), '.venv');
    fs.rmSync(venv);
    fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(venv, 'bin', 'python'), 'not a program\n', { mode: 0o644 });
    try {
      const failure = await failsWith('noInterpreter', /was not executable \(EACCES\)/);
      assert.match(failure.whatToDo, /Select a Python interpreter/);
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
      fs.symlinkSync(venvTarget, venv);
    }
  });
});
