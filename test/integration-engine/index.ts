/**
 * The suite that runs against the REAL engine (test/runEngineIntegration.ts starts it), apart from the
 * main suite, which runs against the in-memory sandbox. `npm test` runs both.
 */
import { runSuitesIn } from '../integration/index';

// an entry point: the VS Code test runner calls it
// ts-unused-exports:disable-next-line
export function run(): Promise<void> {
  return runSuitesIn(__dirname);
}
