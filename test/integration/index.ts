/**
 * The extension-host side of the integration tests: VS Code loads this module (extensionTestsPath) in
 * the extension host and calls run(); resolving means "all passed", rejecting makes the host exit with 1.
 * It is the signature @vscode/test-electron expects, so test/runIntegration.ts (code-server) and
 * test/runDesktop.ts (desktop VS Code) share it.
 *
 * Environment (it reaches the extension host from the runner):
 *   MISTRAL_WF_TEST_GREP         run only tests whose full title contains this text
 *   MISTRAL_WF_TEST_GREP_INVERT  on: run the tests that do NOT match instead
 *   MISTRAL_WF_TEST_ORDER        reverse: the files in reverse order, to show that none depends on another
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// mocha 11 is CommonJS and resolves from the project's own node_modules: the extension host ignores
// NODE_PATH, so it has to be a dependency of this package (it is, as a devDependency).
import Mocha from 'mocha';

/** Every *.test.js under this folder, sorted so the order is the same on every machine. */
function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

// an entry point: the VS Code test runner calls it
// ts-unused-exports:disable-next-line
export function run(): Promise<void> {
  // Compiled, this module is out/test/integration/index.js: its folder holds the compiled suites.
  return runSuitesIn(__dirname);
}

/** Runs every *.test.js under `dir` (also used by the untrusted-folder suite). */
export function runSuitesIn(dir: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // the output goes through the workbench's log, not a terminal
    timeout: 30_000, // a real workbench is slower than unit tests: activation, UI round trips
    reporter: 'spec',
    forbidOnly: true, // a stray .only would silently hide the rest of the suite
  });
  const grep = process.env.MISTRAL_WF_TEST_GREP;
  if (grep !== undefined && grep !== '') {
    mocha.grep(grep); // a string is matched literally, not as a regular expression
    const invert = (process.env.MISTRAL_WF_TEST_GREP_INVERT ?? '').toLowerCase();
    if (['1', 'on', 'true', 'yes'].includes(invert)) mocha.invert();
  }

  const files = findTestFiles(dir);
  if (process.env.MISTRAL_WF_TEST_ORDER === 'reverse') files.reverse();
  for (const file of files) mocha.addFile(file);

  // The runner shows the workbench's log from this line on (SUITE_START_MARKER in runIntegration.ts).
  console.log(`[integration] mocha starting: ${files.length} file(s)${grep ? `, grep "${grep}"` : ''}`);
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js files under ${dir}`));
      return;
    }
    try {
      let ran = 0;
      mocha
        .run((failures) => {
          if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
          else if (ran === 0) reject(new Error('No integration test ran (check MISTRAL_WF_TEST_GREP): that is a failure, not a pass.'));
          else resolve();
        })
        .on('test end', () => ran++);
    } catch (err) {
      // A suite that throws while loading (a bad import, say) ends up here, not in a failure count.
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
