/**
 * Where the engine's Python side lives: `.venv-engine/` (built by scripts/setup-python.sh; ENGINE_VENV
 * overrides it, as for docs/research/engine-probe/run_probe.py), `workers/worker.py` and `workers/temporal_worker.py`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** out/sandbox/engine → the repository. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const WORKER_SCRIPT = path.join(PROJECT_ROOT, 'workers', 'worker.py');
export const TEMPORAL_WORKER_SCRIPT = path.join(PROJECT_ROOT, 'workers', 'temporal_worker.py');

export class EngineSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineSetupError';
  }
}

export function venvDir(): string {
  return process.env.ENGINE_VENV ?? path.join(PROJECT_ROOT, '.venv-engine');
}

/** `.venv-engine/bin/<name>`, or an EngineSetupError saying how to build it. */
export function venvBinary(name: 'temporal' | 'python'): string {
  const file = path.join(venvDir(), 'bin', name);
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new EngineSetupError(`The engine's Python environment is missing (${file} not found): run bash scripts/setup-python.sh`);
  }
  return file;
}
