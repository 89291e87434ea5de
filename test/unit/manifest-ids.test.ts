/**
 * package.json against the typed ids (src/commands/ids.ts) and the rows' context values
 * (src/tree/contextValues.ts): a command contributed but not registered, a menu naming a command that
 * does not exist, or a `viewItem` clause no row can match shows nothing and fails silently in VS Code.
 * Here it fails by name. The context values are enumerated from the vocabulary module, over every kind
 * of row and every flag it can carry.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { createFakeVscode, installFakeVscode } from '../../bench/fakeVscode';
import type { EventKind } from '../../src/api/describe';
import type { StepKind } from '../../src/api/stepRules';
import { KNOWN_STATUSES, type ExecutionStatus } from '../../src/api/types';
import { COMMAND_IDS, CONTEXT_KEYS, VIEW_IDS } from '../../src/commands/ids';
import type { Services } from '../../src/services';
import type { ReplayMarkKind } from '../../src/replay/checked';
import {
  eventContextValue,
  executionContextValue,
  FIXED_CONTEXT_VALUES,
  pendingItemContextValue,
  runContextValue,
  stepContextValue,
} from '../../src/tree/contextValues';
import type { PendingLine } from '../../src/tree/stepText';
import { evaluateWhen } from '../integration/helpers/whenClause';

const PACKAGE_JSON = path.resolve(__dirname, '../../../package.json');

interface MenuEntry {
  command: string;
  when?: string;
}

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, MenuEntry[]>;
    keybindings?: { command: string; when?: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome?: { view: string; when?: string; contents: string }[];
  };
}

/** Every member of each union the rows put in a flag. Records, so the compiler says when one is missing. */
const EVENT_KINDS: Record<EventKind, true> = {
  workflow: true, workflowTask: true, activity: true, timer: true, signal: true, update: true, child: true,
  nexus: true, marker: true, customTask: true, other: true,
};
const STEP_KINDS: Record<StepKind, true> = {
  workflowStarted: true, workflowClosed: true, activity: true, localActivity: true, marker: true, timer: true,
  child: true, update: true, signal: true, signalExternal: true, cancelRequest: true, cancelExternal: true,
  searchAttributes: true, nexus: true, customTask: true, reset: true, other: true,
};
const PENDING_KINDS: Record<PendingLine['kind'], true> = { activity: true, timer: true, child: true, update: true, signal: true, nexus: true };
const REPLAY_MARKS: Record<ReplayMarkKind, true> = { safe: true, failsAgain: true, divergesHere: true };

const keys = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[];
const BOTH = [false, true] as const;

/** Every context value some row can have. */
function producibleContextValues(): Set<string> {
  const values = new Set<string>(Object.values(FIXED_CONTEXT_VALUES));
  const statuses: ExecutionStatus[] = [...KNOWN_STATUSES, null];
  for (const status of statuses)
    for (const earlierRuns of BOTH)
      for (const watched of BOTH)
        for (const checked of BOTH)
          for (const searching of BOTH) values.add(executionContextValue({ status, earlierRuns, watched, checked, searching }));
  for (const searching of BOTH) for (const checked of BOTH) values.add(runContextValue({ searching, checked }));
  for (const kind of keys(EVENT_KINDS))
    for (const latest of BOTH)
      // EventNode.resettable: only the latest run's events are reset points.
      for (const resettable of latest ? BOTH : [false])
        for (const replayMark of [undefined, ...keys(REPLAY_MARKS)]) values.add(eventContextValue({ kind, latest, resettable, replayMark }));
  for (const kind of keys(STEP_KINDS)) for (const failed of BOTH) for (const latest of BOTH) values.add(stepContextValue({ kind, failed, latest }));
  for (const kind of keys(PENDING_KINDS)) values.add(pendingItemContextValue(kind));
  return values;
}

/** `a && b || c` → [[a, b], [c]], as VS Code reads it (`&&` binds tighter). */
function conjunctions(when: string): string[][] {
  return when.split('||').map((conjunction) => conjunction.split('&&').map((term) => term.trim()));
}

describe('package.json against the typed ids and context values', () => {
  const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as Manifest;
  const typed = new Set<string>(Object.values(COMMAND_IDS));
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  const menuEntries = Object.entries(manifest.contributes.menus).flatMap(([menu, entries]) => entries.map((entry) => ({ menu, ...entry })));

  it('contributes every typed command id, and types every contributed command', () => {
    for (const id of typed) assert.ok(contributed.has(id), `${id} is in COMMAND_IDS but not in contributes.commands`);
    for (const id of contributed) assert.ok(typed.has(id), `${id} is in contributes.commands but not in COMMAND_IDS`);
  });

  it('registers every typed command id, each once', () => {
    const registered: string[] = [];
    const fake = createFakeVscode({ commands: 0, treeViews: 0 });
    fake.commands = {
      ...(fake.commands as object),
      registerCommand: (id: string) => {
        registered.push(id);
        return { dispose: () => undefined };
      },
    };
    // A module binds `vscode` when first loaded, and an earlier test may have loaded this one over its
    // own fake: load it afresh over this fake, then put the cache back as it was.
    const load = createRequire(__filename);
    const file = load.resolve('../../src/commands/registerCommands');
    const cached = require.cache[file];
    delete require.cache[file];
    const uninstall = installFakeVscode(fake);
    try {
      const { registerCommands } = load(file) as typeof import('../../src/commands/registerCommands');
      // Registering reads no service (the handlers do, when run): any access here is a bug.
      const noServices = new Proxy({}, { get: (_, key) => assert.fail(`registerCommands read services.${String(key)}`) }) as Services;
      registerCommands(noServices);
    } finally {
      uninstall();
      if (cached) require.cache[file] = cached;
      else delete require.cache[file];
    }
    for (const id of typed) assert.ok(registered.includes(id), `${id} is not registered`);
    for (const id of registered) assert.ok(typed.has(id), `${id} is registered but not in COMMAND_IDS`);
    assert.equal(registered.length, new Set(registered).size, `registered twice: ${registered.filter((id, i) => registered.indexOf(id) !== i).join(', ')}`);
  });

  it('names only contributed commands in its menus, keybindings and welcome links', () => {
    for (const entry of menuEntries) assert.ok(contributed.has(entry.command), `menus.${entry.menu} names ${entry.command}, which is not contributed`);
    for (const binding of manifest.contributes.keybindings ?? []) {
      assert.ok(contributed.has(binding.command), `keybinding names ${binding.command}, which is not contributed`);
    }
    for (const welcome of manifest.contributes.viewsWelcome ?? []) {
      for (const [, id] of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(contributed.has(id), `viewsWelcome links to ${id}, which is not contributed`);
    }
  });

  it('reads only the typed view id and context keys in its when clauses', () => {
    const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
    for (const view of Object.values(VIEW_IDS)) assert.ok(views.includes(view), `${view} is in VIEW_IDS but not in contributes.views`);
    const known = new Set<string>([...Object.values(VIEW_IDS), ...Object.values(CONTEXT_KEYS)]);
    const clauses = [...menuEntries, ...(manifest.contributes.keybindings ?? []), ...(manifest.contributes.viewsWelcome ?? [])].map((e) => e.when ?? '');
    for (const clause of clauses) {
      for (const [name] of clause.matchAll(/mistralWorkflows\.\w+/g)) assert.ok(known.has(name), `\`${clause}\` reads ${name}, which is neither in VIEW_IDS nor in CONTEXT_KEYS`);
    }
  });

  it('has a row for every viewItem clause of its menus', () => {
    const values = [...producibleContextValues()];
    const matches = (terms: string[]): boolean => values.some((viewItem) => evaluateWhen(terms.join(' && '), { viewItem }));
    let checked = 0;
    for (const entry of menuEntries) {
      for (const terms of conjunctions(entry.when ?? '')) {
        const viewItemTerms = terms.filter((term) => /^viewItem\b/.test(term));
        if (viewItemTerms.length === 0) continue;
        for (const term of viewItemTerms) assert.ok(matches([term]), `${entry.command} (menus.${entry.menu}): no row's context value satisfies \`${term}\``);
        assert.ok(matches(viewItemTerms), `${entry.command} (menus.${entry.menu}): no row's context value satisfies \`${viewItemTerms.join(' && ')}\` at once`);
        checked++;
      }
    }
    // The check must have seen the context menus' clauses; none would mean the parsing above broke.
    assert.ok(checked >= 20, `only ${checked} viewItem clauses found`);
  });
});
