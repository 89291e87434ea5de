/** `text` matched literally inside a RegExp (the suites build patterns around server and seed text). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
