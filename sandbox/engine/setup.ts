/**
 * The one set-up step (scripts/setup.sh), as the demo and the engine sandbox run it before they start:
 * on a fresh clone it installs what they need, once (the engine's Python toolchain through
 * scripts/setup-python.sh; code-server for the demo), and is a quick check afterwards.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineSetupError, PROJECT_ROOT, venvDir } from './paths';

/** scripts/setup.sh's purposes: `demo` (code-server), `demo-engine` (code-server and the engine), `engine` (the engine). */
type SetupPurpose = 'demo' | 'demo-engine' | 'engine';

/** Runs the set-up with its output on ours; an EngineSetupError when it stops (its own message says why). */
export function runSetup(purpose: SetupPurpose, say: (line: string) => void): void {
  const python = path.join(venvDir(), 'bin', 'python');
  if (purpose !== 'demo' && !fs.existsSync(python)) {
    say(`the engine's Python environment (${venvDir()}) is not set up yet: installing it once with scripts/setup-python.sh (Python 3.12-3.14 and the pinned workers/requirements.txt from PyPI, ~300 MB)`);
  }
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'setup.sh'), purpose], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new EngineSetupError(`the set-up (scripts/setup.sh ${purpose}) stopped (exit ${result.status ?? result.signal}): see its message above`);
  }
}
