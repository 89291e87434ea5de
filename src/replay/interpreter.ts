/**
 * Which Python runs the replay check, in the order the issue asks for: the interpreter the Python
 * extension has selected, else the folder's `.venv`, else `python3` on PATH. Pure: the caller asks
 * the Python extension and checks that the `.venv` interpreter exists.
 */
import * as path from 'node:path';
import { isObject } from '../api/json';

type InterpreterSource = 'pythonExtension' | 'folderVenv' | 'path';

export interface PickedInterpreter {
  command: string;
  source: InterpreterSource;
  /** Where it came from, for the result: e.g. "the folder's .venv (/w/.venv/bin/python)". */
  description: string;
}

interface InterpreterChoices {
  /** The Python extension's selected interpreter, when it is installed and has one. */
  pythonExtensionPath?: string;
  /** The folder's `.venv` interpreter, when it exists (see venvPython). */
  folderVenv?: string;
  fallback: 'python3';
}

export function pickInterpreter(choices: InterpreterChoices): PickedInterpreter {
  const selected = choices.pythonExtensionPath?.trim();
  if (selected) return { command: selected, source: 'pythonExtension', description: `the Python extension's selected interpreter (${selected})` };
  const venv = choices.folderVenv?.trim();
  if (venv) return { command: venv, source: 'folderVenv', description: `the folder's .venv (${venv})` };
  return { command: choices.fallback, source: 'path', description: `${choices.fallback} on PATH` };
}

/** Where a folder's `.venv` keeps its interpreter on this platform. */
export function venvPython(folder: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? path.win32.join(folder, '.venv', 'Scripts', 'python.exe') : path.posix.join(folder, '.venv', 'bin', 'python');
}

/**
 * The interpreter the Python extension's API says is selected for `resource` (a folder's Uri). The
 * API has changed shape over the years (`environments.getActiveEnvironmentPath` now,
 * `settings.getExecutionDetails` before): either is read, anything else is "none selected".
 */
export function pythonExtensionSelection(api: unknown, resource: unknown): string | undefined {
  if (!isObject(api)) return undefined;
  const environments = api.environments;
  if (isObject(environments) && typeof environments.getActiveEnvironmentPath === 'function') {
    const active: unknown = (environments.getActiveEnvironmentPath as (r: unknown) => unknown)(resource);
    if (isObject(active) && typeof active.path === 'string' && active.path.trim()) return active.path;
  }
  const settings = api.settings;
  if (isObject(settings) && typeof settings.getExecutionDetails === 'function') {
    const details: unknown = (settings.getExecutionDetails as (r: unknown) => unknown)(resource);
    const command: unknown = isObject(details) && Array.isArray(details.execCommand) ? details.execCommand[0] : undefined;
    if (typeof command === 'string' && command.trim()) return command;
  }
  return undefined;
}
