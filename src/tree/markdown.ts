import * as vscode from 'vscode';
import { escapeMarkdownText } from './labels';

/**
 * Tooltips show server data (names, reasons, failure messages) that may contain Markdown, HTML or
 * command links. Everything goes in as escaped text; the string is never trusted, so no link can run a
 * command.
 */
export function tooltip(title: string, rows: [label: string, value: string | undefined][]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${escapeMarkdownText(title)}**\n\n`);
  for (const [label, value] of rows) {
    if (value === undefined || value === '') continue;
    md.appendMarkdown(`- ${escapeMarkdownText(label)}: ${escapeMarkdownText(value)}\n`);
  }
  return md;
}
