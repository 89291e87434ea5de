import * as assert from 'node:assert/strict';
import { pickInterpreter, venvPython } from '../../src/replay';

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
