/**
 * Text for a notification: a message, a progress title. VS Code renders no Markdown there but one
 * thing: `[label](https://…)`, `[label](command:…)` and `[label](file:…)` become links, and a command
 * link runs its command when clicked. Backslashes show as typed, so Markdown escaping
 * (escapeMarkdownText) does not fit. A zero-width space after every `]` that a `(` follows means no
 * link can form, and the text reads the same. The extension's own notifications carry no link (their
 * actions are buttons), so whole messages go through this, whatever server text they hold: execution
 * ids, workflow names, error details, the replayer's messages. No `vscode` import.
 */
export function inertLinks(text: string): string {
  return text.replace(/\](?=\()/g, ']\u200b');
}
