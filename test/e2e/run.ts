/**
 * Runs the UI end-to-end tests (out/test/e2e/*.test.js) with mocha in plain Node: each test drives a real
 * VS Code workbench (code-server) in headless Chromium, with the extension installed from
 * mistral-workflows.vsix, against a sandbox API. See test/e2e/workbench.ts.
 *
 * Usage: `npm run test:e2e` (compiles and packages first), or after `tsc -p . && npm run package`:
 *   node out/test/e2e/run.js [--grep TEXT] [--screenshots DIR] [--verbose] [--keep]
 *   --screenshots DIR  also copy the screenshots marked for publishing to DIR/screenshot-*.png
 *                      (`npm run screenshots` = `--screenshots media`); every run saves all of them to
 *                      .vscode-test/screenshots/ (git-ignored)
 *   --grep REGEXP      only tests whose full title matches REGEXP
 *   --verbose          stream code-server's output and browser page errors
 *   --keep             keep the temp folders (user data, logs)
 * Environment: MISTRAL_WF_TEST_CHROMIUM = browser binary (default /usr/bin/chromium).
 * This runner ignores .mocharc.json (that one is for the unit tests).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { PROJECT_ROOT } from '../../sandbox/engine/paths';
import { SCREENSHOTS_DIR, checkE2ePrerequisites, closeRun, e2eConfig, killEverything, liveGroups } from './workbench';

interface RunOptions {
  grep?: string;
}

function parseOptions(argv: string[]): RunOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      grep: { type: 'string' },
      screenshots: { type: 'string' },
      verbose: { type: 'boolean' },
      keep: { type: 'boolean' },
    },
  });
  if (values.screenshots !== undefined) e2eConfig.publishDir = path.resolve(PROJECT_ROOT, values.screenshots);
  if (values.verbose) e2eConfig.verbose = true;
  if (values.keep) e2eConfig.keepTemp = true;
  if (process.env.MISTRAL_WF_TEST_CHROMIUM) e2eConfig.chromiumPath = process.env.MISTRAL_WF_TEST_CHROMIUM;
  return { grep: values.grep };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const problems = checkE2ePrerequisites();
  if (problems.length > 0) {
    console.error(`[e2e] cannot run:\n${problems.join('\n')}`);
    return 1;
  }
  const started = Date.now();
  const mocha = new Mocha({ timeout: 120_000, reporter: 'spec', slow: 20_000, forbidOnly: true });
  if (options.grep !== undefined) mocha.grep(new RegExp(options.grep));
  const dir = __dirname;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, file));

  // Ctrl-C: stop code-servers and the browser by their process groups, then exit 128+n.
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`[e2e] ${signal}: stopping code-server and the browser`);
    killEverything();
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.once('exit', killEverything);

  let ran = 0;
  const failures = await new Promise<number>((resolve) => mocha.run(resolve).on('test end', () => ran++));
  await closeRun();
  if (liveGroups.size > 0) killEverything();
  const screenshots = fs.existsSync(SCREENSHOTS_DIR) ? path.relative(PROJECT_ROOT, SCREENSHOTS_DIR) : undefined;
  console.log(`[e2e] ${failures === 0 ? 'passed' : `${failures} failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
    (screenshots ? `; screenshots in ${screenshots}/` : '') +
    (e2eConfig.publishDir ? `, published ones in ${path.relative(PROJECT_ROOT, e2eConfig.publishDir)}/` : ''));
  if (ran === 0) {
    console.error('[e2e] no test ran (check --grep): that is a failure, not a pass');
    return 1;
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  // Exit explicitly: playwright can keep handles open a little after close().
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
