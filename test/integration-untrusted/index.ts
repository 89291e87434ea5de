/**
 * The suite that runs in an UNTRUSTED folder (the runner's trust mode on), apart from the main suite
 * which runs with trust off. `npm test` runs both.
 */
import { runSuitesIn } from '../integration/index';

// an entry point: the VS Code test runner calls it
// ts-unused-exports:disable-next-line
export function run(): Promise<void> {
  return runSuitesIn(__dirname);
}
