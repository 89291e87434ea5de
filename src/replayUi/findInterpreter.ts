/**
 * Which Python the replay check runs: asks the Python extension (when it is installed) for the
 * folder's selected interpreter, looks for the folder's `.venv`, then falls back to python3 on PATH.
 * The order is pickInterpreter's; this file only gathers the facts.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { pickInterpreter, pythonExtensionSelection, venvPython, type PickedInterpreter } from '../replay';

const PYTHON_EXTENSION_ID = 'ms-python.python';

export async function interpreterFor(folder: vscode.WorkspaceFolder | undefined): Promise<PickedInterpreter> {
  const venv = folder ? venvPython(folder.uri.fsPath) : undefined;
  return pickInterpreter({
    pythonExtensionPath: await pythonExtensionInterpreter(folder?.uri),
    folderVenv: venv !== undefined && fs.existsSync(venv) ? venv : undefined,
    fallback: 'python3',
  });
}

/**
 * The interpreter the Python extension has selected for `resource`. Its API is read defensively: it
 * has changed shape over the years (`environments.getActiveEnvironmentPath` now,
 * `settings.getExecutionDetails` before), and a failure to read it just means "not selected".
 */
async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<unknown>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  try {
    const api: unknown = extension.isActive ? extension.exports : await extension.activate();
    return pythonExtensionSelection(api, resource);
  } catch {
    return undefined;
  }
}
