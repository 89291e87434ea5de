import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/commands/registerCommands';
import { EXTENSION_ID, extensionApi } from './helpers/env';

interface Manifest {
  contributes: {
    commands: { command: string; category?: string; icon?: string }[];
    menus: { commandPalette: { command: string; when: string }[] };
  };
}

/** Commands that act on a tree row: they make no sense from the palette. */
const TREE_ONLY = [
  'mistralWorkflows.clearFind',
  'mistralWorkflows.compareWithPreviousRun',
  'mistralWorkflows.copyResetAsCurl',
  'mistralWorkflows.copyResetAsPython',
  'mistralWorkflows.goToSource',
  'mistralWorkflows.loadMore',
  'mistralWorkflows.resetBeforeStep',
  'mistralWorkflows.resetSelected',
  'mistralWorkflows.resetToHere',
  'mistralWorkflows.retryNode',
  'mistralWorkflows.showReplayReport',
  // The CodeLens's action (it takes the workflow name).
  'mistralWorkflows.showWorkflowExecutions',
];

describe('Contributed commands', () => {
  const manifest = (): Manifest => vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Manifest;

  it('registers every contributed command, and contributes every registered one', async () => {
    await extensionApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands.map((c) => c.command);
    for (const command of contributed) assert.ok(registered.has(command), `${command} is registered`);
    assert.deepEqual([...contributed].sort(), Object.keys(COMMANDS).sort());
  });

  it('puts palette commands in the “Mistral Workflows” category and hides tree-only ones', () => {
    const { commands, menus } = manifest().contributes;
    for (const command of commands) assert.equal(command.category, 'Mistral Workflows', command.command);
    const hidden = menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command).sort();
    assert.deepEqual(hidden, [...TREE_ONLY].sort());
  });
});
