/**
 * The real engine from TypeScript: the Temporal dev server and real Mistral workers, each in a process
 * group of its own on 127.0.0.1 (needs `.venv-engine/`: bash scripts/setup-python.sh).
 */
export { startTemporalDevServer } from './temporal';
export type { DevServer } from './temporal';
export { startWorker } from './worker';
export type { Worker } from './worker';
export { EngineSetupError, PROJECT_ROOT, venvDir } from './paths';
