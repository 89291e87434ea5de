/**
 * checkReplay's failures of the check itself, with tiny fake interpreters (shell scripts that answer
 * as replay_check.py would, or do not), and the real script in a Python without the SDK.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkReplay, type CheckReplayOptions, type ReplayResult } from '../../../src/replay';
import { until } from '../../helpers/eventually';

const SCRIPT = path.resolve(__dirname, '../../../../src/replay/replay_check.py');
/**
 * The processes of group `pgid` still alive (Linux /proc). A killed process stays a zombie until it is
 * reaped, by init for an orphan, which can take a second or two: a zombie is not alive. Nor is one
 * already exiting (PF_EXITING in its flags): it has closed its files, which is what lets the run end,
 * but on a busy machine it can be preempted before it becomes a zombie.
 */
const PF_EXITING = 0x4;

function liveMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited meanwhile
    }
    // After the command: state, ppid, pgrp, session, tty_nr, tpgid, flags, …
    const [state, , group, , , , flags] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const exiting = (Number(flags) & PF_EXITING) !== 0;
    if (Number(group) === pgid && state !== 'Z' && state !== 'X' && !exiting) live.push(Number(entry));
  }
  return live;
}

const HISTORY = JSON.stringify({ events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' }] });

describe('replay/checkReplay', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-unit-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A fake interpreter: a shell script with this body. */
  const fake = (name: string, body: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };
  const run = (python: string, extra: Partial<CheckReplayOptions> = {}): Promise<ReplayResult> =>
    checkReplay({ python, script: SCRIPT, historyJson: HISTORY, workflowName: 'order', dirs: [dir], timeoutMs: 10_000, ...extra });
  const failure = (r: ReplayResult) => {
    assert.equal(r.outcome, 'failed', JSON.stringify(r));
    return r.outcome === 'failed' ? r : assert.fail();
  };

  it('passes the script, the history file, the workflow and the folders; reads a verdict; removes the file', async () => {
    const seen = path.join(dir, 'seen.txt');
    const python = fake('echo-args', `printf '%s\\n' "$@" > ${seen}; cat "\${2#--history=}" >> ${seen}; echo '{"verdict": "diverges", "eventId": 12, "cause": "nondeterminism", "message": "[TMPRL1100] Nondeterminism error: x", "replayedEvents": 19}'`);
    const result = await run(python);
    assert.deepEqual(result, { outcome: 'diverges', eventId: 12, cause: 'nondeterminism', message: '[TMPRL1100] Nondeterminism error: x', replayedEvents: 19 });
    const [script, historyArg, workflowArg, end, folder, history] = fs.readFileSync(seen, 'utf8').split('\n');
    assert.deepEqual([script, workflowArg, end, folder, history], [SCRIPT, '--workflow=order', '--', dir, HISTORY]);
    const historyFile = historyArg.replace(/^--history=/, '');
    assert.notEqual(historyFile, historyArg);
    assert.equal(fs.existsSync(historyFile), false, 'the temp history is gone');
  });

  it('the interpreter gets only the allowed names from the environment, never a key, token, secret or password', async () => {
    const seen = path.join(dir, 'env.txt');
    const python = fake('dump-env', `env > ${seen}; echo '{"verdict": "clean", "replayedEvents": 1}'`);
    const allowed = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/u', LANG: 'C.UTF-8', LC_CTYPE: 'C.UTF-8', TMPDIR: '/tmp', VIRTUAL_ENV: '/w/.venv', PYTHONPATH: '/w/lib' };
    const refused = { MISTRAL_API_KEY: 'k1', PYTHON_API_KEY: 'k2', PYTHON_TOKEN_FILE: 'k3', LC_SECRET: 'k4', HOME_PASSWORD: 'k5', EDITOR: 'vi', SSH_AUTH_SOCK: '/tmp/agent' };
    assert.equal((await run(python, { env: { ...allowed, ...refused } })).outcome, 'clean');
    const names = new Map(fs.readFileSync(seen, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    for (const [name, value] of Object.entries(allowed)) assert.equal(names.get(name), value, name);
    for (const name of Object.keys(refused)) assert.equal(names.has(name), false, name);
    assert.equal(names.get('OTEL_ENABLED'), 'false', 'plus the check’s own settings');
  });

  it('no interpreter: not found, or not executable', async () => {
    const missing = failure(await run(path.join(dir, 'no-such-python')));
    assert.equal(missing.kind, 'noInterpreter');
    assert.match(missing.message, /no-such-python was not found \(ENOENT\)/);
    assert.match(missing.whatToDo, /Python extension.*\.venv.*python3/);
    const plain = path.join(dir, 'not-executable');
    fs.writeFileSync(plain, '#!/bin/sh\n', { mode: 0o644 });
    const notExec = failure(await run(plain));
    assert.equal(notExec.kind, 'noInterpreter');
    assert.match(notExec.message, /not executable \(EACCES\)/);
  });

  it('the real script in a Python without temporalio says sdk_missing, not a traceback', async function () {
    try {
      execFileSync('python3', ['-c', 'import temporalio'], { stdio: 'ignore' });
      this.skip(); // this python3 has the SDK
    } catch {
      // expected: no temporalio here
    }
    const result = failure(await run('python3', { workflowName: 'order', historyJson: HISTORY }));
    assert.equal(result.kind, 'sdkMissing');
    assert.match(result.message, /^ModuleNotFoundError: No module named 'temporalio'\. The interpreter .* \(Python 3\.\d+\.\d+\) cannot import the workflow SDK/);
    assert.match(result.whatToDo, /python3 -m pip install mistralai-workflows/);
  });

  it("the script's own failures: import error (file and line), class not found, bad history", async () => {
    const importError = failure(await run(fake('import-error', `echo '{"error": "import_error", "message": "NameError: name x is not defined", "file": "/w/orders.py", "line": 7}'; exit 2`)));
    assert.deepEqual({ ...importError }, {
      outcome: 'failed', kind: 'importError', message: 'NameError: name x is not defined', file: '/w/orders.py', line: 7,
      whatToDo: 'Fix the error in /w/orders.py:7 (a worker would fail to import it too), then check again.',
    });
    const notFound = failure(await run(fake('not-found', `echo '{"error": "class_not_found", "message": "No workflow class named order"}'; exit 2`)));
    assert.equal(notFound.kind, 'classNotFound');
    assert.match(notFound.whatToDo, /@workflow\.define\(name="order"\)/);
    assert.equal(failure(await run(fake('bad-history', `echo '{"error": "bad_history", "message": "no events"}'; exit 2`))).kind, 'badHistory');
  });

  it('a timeout kills the whole process group', async () => {
    const pids = path.join(dir, 'pids');
    const python = fake('sleeps', `sleep 30 & echo "$$ $!" > ${pids}; wait`);
    const t0 = Date.now();
    const result = failure(await run(python, { timeoutMs: 500 }));
    assert.ok(Date.now() - t0 < 5_000);
    assert.equal(result.kind, 'timeout');
    assert.match(result.message, /did not finish within 1 s/);
    const [leader, helper] = fs.readFileSync(pids, 'utf8').trim().split(' ').map(Number);
    assert.ok(helper > 0);
    assert.deepEqual(liveMembers(leader), [], 'nothing of the group is left, its helper included');
  });

  it('an abort kills the group and rejects with the reason, never a result', async () => {
    const pids = path.join(dir, 'abort-pids');
    const python = fake('waits', `sleep 30 & echo "$$" > ${pids}; wait`);
    const controller = new AbortController();
    const pending = run(python, { signal: controller.signal });
    await until('the fake to start', () => fs.existsSync(pids) && fs.readFileSync(pids, 'utf8') !== '');
    assert.equal(liveMembers(Number(fs.readFileSync(pids, 'utf8'))).length, 2, 'running: the shell and its sleep');
    controller.abort(new Error('cancelled by the user'));
    await assert.rejects(pending, /cancelled by the user/);
    assert.deepEqual(liveMembers(Number(fs.readFileSync(pids, 'utf8'))), []);
  });

  it('unexpected output is "crashed", with the end of stderr: never a verdict', async () => {
    const chatty = failure(await run(fake('chatty', `echo 'hello'; echo 'Traceback: boom' >&2`)));
    assert.equal(chatty.kind, 'crashed');
    assert.equal(chatty.message, 'The replay check exited with code 0 and printed "hello".');
    assert.match(chatty.stderrTail ?? '', /Traceback: boom/);
    const verdictButFailed = failure(await run(fake('verdict-exit-1', `echo '{"verdict": "clean", "replayedEvents": 3}'; exit 1`)));
    assert.equal(verdictButFailed.kind, 'crashed');
    const errorButZero = failure(await run(fake('error-exit-0', `echo '{"error": "import_error", "message": "x"}'`)));
    assert.equal(errorButZero.kind, 'crashed');
    const noCause = failure(await run(fake('no-cause', `echo '{"verdict": "diverges", "eventId": 3, "message": "m"}'`)));
    assert.equal(noCause.kind, 'crashed', 'a verdict without its cause is not read as one');
    const twoLines = failure(await run(fake('two-lines', `echo '{"verdict": "clean"}'; echo '{"verdict": "clean"}'`)));
    assert.equal(twoLines.kind, 'crashed');
    const killed = failure(await run(fake('killed', 'kill -9 $$')));
    assert.equal(killed.message, 'The replay check was killed by SIGKILL and printed nothing.');
  });
});
