/**
 * ARCHITECTURE.md is the map of the folder tree: every folder that holds a tracked file is named in it
 * (test/fixtures' sub-folders as a group), so a move that forgets the map fails here.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../sandbox/engine/paths';

function trackedFolders(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return [...new Set(files.map((f) => path.posix.dirname(f)).filter((d) => d !== '.'))].sort();
}

describe('ARCHITECTURE.md', () => {
  it('names every folder of the tree', () => {
    const map = fs.readFileSync(path.join(PROJECT_ROOT, 'ARCHITECTURE.md'), 'utf8');
    const folders = trackedFolders();
    assert.ok(folders.includes('src/api'), `the tracked folders are read (${folders.length})`);
    const missing = folders.filter((d) => !d.startsWith('test/fixtures/') && !map.includes(`\`${d}/\``) && !map.includes(`\`${d}\``));
    assert.deepEqual(missing, [], `folders ARCHITECTURE.md does not name: ${missing.join(', ')}`);
  });

  it('names no folder that is gone', () => {
    const map = fs.readFileSync(path.join(PROJECT_ROOT, 'ARCHITECTURE.md'), 'utf8');
    const folders = new Set(trackedFolders());
    // Every `folder/` it names, written from the project root (a bare `api/` would name nothing).
    const named = [...map.matchAll(/`([\w.-]+(?:\/[\w.-]+)*)\/`/g)].map((m) => m[1]);
    // A git-ignored folder (bench/engine-data, .venv-engine) is named as such: it exists once made.
    const ignored = new Set(spawnSync('git', ['check-ignore', ...named.map((d) => `${d}/`)], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((d) => d.replace(/\/$/, '')));
    const gone = named.filter((d) => !ignored.has(d) && !folders.has(d) && ![...folders].some((f) => f.startsWith(`${d}/`)));
    assert.deepEqual(gone, [], `ARCHITECTURE.md names folders that do not exist: ${gone.join(', ')}`);
  });
});
