import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId } from '../../src/commands/ids';
import { COMMANDS } from '../../src/commands/registerCommands';
import { EXTENSION_ID, extensionApi } from './helpers/env';

interface Manifest {
  contributes: {
    commands: { command: string; category?: string; icon?: string }[];
    menus: { commandPalette: { command: string; when: string }[] };
  };
}

/** Commands that act on a tree row: they make no sense from the palette. */
const TREE_ONLY: readonly CommandId[] = [
  COMMAND_IDS.clearFind,
  COMMAND_IDS.compareWithPreviousRun,
  COMMAND_IDS.copyResetAsCurl,
  COMMAND_IDS.copyResetAsPython,
  COMMAND_IDS.goToSource,
  COMMAND_IDS.loadMore,
  COMMAND_IDS.resetBeforeStep,
  COMMAND_IDS.resetSelected,
  COMMAND_IDS.resetToHere,
  COMMAND_IDS.retryNode,
  COMMAND_IDS.showReplayReport,
  // The CodeLens's action (it takes the workflow name).
  COMMAND_IDS.showWorkflowExecutions,
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
