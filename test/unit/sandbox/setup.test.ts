/**
 * `npm run sandbox -- --engine temporal` sets itself up on a fresh clone, with the set-up step the demo
 * runs (scripts/setup.sh, sandbox/engine/setup.ts). A real install downloads ~300 MB for a minute, so
 * these runs stop it at its first step: ENGINE_PYTHON names a Python that does not exist, and
 * scripts/setup-python.sh refuses it at once. What they show is that the set-up runs, what it runs, and
 * what the user reads. The engine suite runs the same CLI on the real venv (set up: a quick check).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../../sandbox/engine/paths';

const CLI = path.join(PROJECT_ROOT, 'out', 'sandbox', 'cli.js');

describe('the engine sandbox sets itself up (scripts/setup.sh engine)', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-setup-'));
    // A fresh clone's missing venv, and no usable Python: the set-up stops before any download.
    env = { ...process.env, ENGINE_VENV: path.join(tmp, 'venv'), ENGINE_PYTHON: path.join(tmp, 'no-python') };
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('on a missing venv, runs the set-up step saying so, and stops with the set-up’s own reason', () => {
    const run = spawnSync(process.execPath, [CLI, '--engine', 'temporal', '--port', '0'], { cwd: tmp, env, encoding: 'utf8', timeout: 60_000 });
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 1, output);
    assert.match(output, new RegExp(`sandbox: the engine's Python environment \\(${tmp}/venv\\) is not set up yet: installing it once with scripts/setup-python\\.sh`));
    assert.match(output, /\[setup-python\] ERROR: ENGINE_PYTHON=.*no-python is not a runnable Python 3\.12-3\.14/, 'setup-python.sh ran');
    assert.match(output, /sandbox: failed to start: the set-up \(scripts\/setup\.sh engine\) stopped \(exit 2\): see its message above/);
    assert.doesNotMatch(output, /starting the Temporal dev server/);
    assert.ok(!fs.existsSync(path.join(tmp, 'venv')), 'nothing half-made');
  });

  it('sets up the engine only: no code-server, no Debian packages (demo-engine does both)', () => {
    // A copy of the scripts whose code-server and Debian installs only leave a mark.
    const root = path.join(tmp, 'clone');
    fs.mkdirSync(path.join(root, 'scripts'), { recursive: true });
    fs.mkdirSync(path.join(root, 'workers'));
    fs.copyFileSync(path.join(PROJECT_ROOT, 'workers', 'requirements.txt'), path.join(root, 'workers', 'requirements.txt'));
    for (const script of ['setup.sh', 'setup-python.sh']) fs.copyFileSync(path.join(PROJECT_ROOT, 'scripts', script), path.join(root, 'scripts', script));
    const marks = path.join(tmp, 'marks');
    for (const script of ['install-code-server.sh', 'install-system-deps.sh']) {
      fs.writeFileSync(path.join(root, 'scripts', script), `echo ${script} >> '${marks}'\n`);
    }
    // Every Debian package reads as missing: a package check would show, whatever this machine has.
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.writeFileSync(path.join(tmp, 'bin', 'dpkg-query'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const setup = (purpose: string): { status: number | null; output: string; marked: string } => {
      fs.rmSync(marks, { force: true });
      const run = spawnSync('bash', [path.join(root, 'scripts', 'setup.sh'), purpose], {
        cwd: root, env: { ...env, PATH: `${path.join(tmp, 'bin')}:${env.PATH ?? ''}` }, encoding: 'utf8', timeout: 60_000,
      });
      return { status: run.status, output: `${run.stdout}${run.stderr}`, marked: fs.existsSync(marks) ? fs.readFileSync(marks, 'utf8') : '' };
    };

    // No code-server either (a fresh clone): the demo would build it, with Debian packages.
    const engine = setup('engine');
    assert.equal(engine.status, 2, engine.output);
    assert.match(engine.output, /\[setup-python\] ERROR: ENGINE_PYTHON=/, 'went straight to the engine');
    assert.doesNotMatch(engine.output, /Debian packages/);
    assert.equal(engine.marked, '', 'installed neither code-server nor Debian packages');

    // code-server in place (so no packages to build it with): demo-engine still runs its install, then the engine's.
    fs.mkdirSync(path.join(root, '.vscode-test', 'code-server'), { recursive: true });
    fs.writeFileSync(path.join(root, '.vscode-test', 'code-server', '.installed-version'), '4.100.3\n');
    const demo = setup('demo-engine');
    assert.equal(demo.marked, 'install-code-server.sh\n', `the marks work: ${demo.output}`);
    assert.match(demo.output, /\[setup-python\] ERROR: ENGINE_PYTHON=/);
  });
});
