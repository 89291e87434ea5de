import * as vscode from 'vscode';

/**
 * The extension's one log channel. Every line goes through `redact` so that a key that slipped into a
 * message (an error from a proxy, a URL) never reaches the Output panel.
 */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Mistral Workflows') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Registers a value that must never be written (API keys as they are resolved). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  info(component: string, message: string): void {
    this.channel.info(this.format(component, message));
  }

  warn(component: string, message: string): void {
    this.channel.warn(this.format(component, message));
  }

  error(component: string, message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `\n${describeError(error)}`;
    this.channel.error(this.format(component, message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  private format(component: string, message: string): string {
    return this.redact(`[${component}] ${message}`);
  }
}

/** The full story of an error, causes included, for the log (not for the user). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.stack ?? `${current.name}: ${current.message}`);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join('\nCaused by: ');
}
