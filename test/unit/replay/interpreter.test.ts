import * as assert from 'node:assert/strict';
import { pickInterpreter, pythonExtensionSelection, venvPython } from '../../../src/replay';

describe('replay/pickInterpreter', () => {
  it('the Python extension first, then the folder .venv, then python3, each saying where it came from', () => {
    assert.deepEqual(pickInterpreter({ pythonExtensionPath: '/opt/py/bin/python', folderVenv: '/w/.venv/bin/python', fallback: 'python3' }), {
      command: '/opt/py/bin/python', source: 'pythonExtension', description: "the Python extension's selected interpreter (/opt/py/bin/python)",
    });
    assert.deepEqual(pickInterpreter({ pythonExtensionPath: ' ', folderVenv: '/w/.venv/bin/python', fallback: 'python3' }), {
      command: '/w/.venv/bin/python', source: 'folderVenv', description: "the folder's .venv (/w/.venv/bin/python)",
    });
    assert.deepEqual(pickInterpreter({ fallback: 'python3' }), { command: 'python3', source: 'path', description: 'python3 on PATH' });
  });

  it('knows where a .venv keeps its interpreter', () => {
    assert.equal(venvPython('/w', 'linux'), '/w/.venv/bin/python');
    assert.equal(venvPython('/w', 'darwin'), '/w/.venv/bin/python');
    assert.equal(venvPython('C:\\w', 'win32'), 'C:\\w\\.venv\\Scripts\\python.exe');
  });
});

describe('replay/pythonExtensionSelection: the Python extension’s selected interpreter', () => {
  const folder = { fsPath: '/w' };

  it('reads environments.getActiveEnvironmentPath(folder), the current API', () => {
    const asked: unknown[] = [];
    const api = { environments: { getActiveEnvironmentPath: (r: unknown) => (asked.push(r), { id: 'x', path: '/w/.venv/bin/python' }) } };
    assert.equal(pythonExtensionSelection(api, folder), '/w/.venv/bin/python');
    assert.deepEqual(asked, [folder], 'for the folder being checked');
  });

  it('falls back to settings.getExecutionDetails(folder).execCommand, the older API', () => {
    const api = { settings: { getExecutionDetails: () => ({ execCommand: ['/usr/local/bin/python3.13', '-X'] }) } };
    assert.equal(pythonExtensionSelection(api, folder), '/usr/local/bin/python3.13');
  });

  it('an API of another shape, or no selection, is none selected', () => {
    assert.equal(pythonExtensionSelection(undefined, folder), undefined);
    assert.equal(pythonExtensionSelection({ environments: {} }, folder), undefined);
    assert.equal(pythonExtensionSelection({ environments: { getActiveEnvironmentPath: () => ({ path: ' ' }) } }, folder), undefined);
    assert.equal(pythonExtensionSelection({ settings: { getExecutionDetails: () => ({ execCommand: undefined }) } }, folder), undefined);
  });
});
