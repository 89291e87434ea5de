/**
 * Which workflows a folder of workflow files defines, read the way the extension reads them
 * (src/source/pythonDefinitions.ts) over the files the workers import: the folder's own `*.py`, not
 * its subfolders (workers/worker.py, workers/temporal_worker.py). The sandbox seeds the demo's
 * executions only where the folder defines the demo's workflow: a folder of one's own has none.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPythonDefinitions } from '../../src/source/pythonDefinitions';

export function workflowNamesIn(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.py')) continue;
    for (const d of findPythonDefinitions(fs.readFileSync(path.join(dir, entry.name), 'utf8'))) {
      if (d.kind === 'workflow') names.add(d.name);
    }
  }
  return names;
}
