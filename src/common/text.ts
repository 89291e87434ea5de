/** Plain-text shaping shared by tree rows, notifications and summaries. No `vscode` import. */

/** One line, bounded: server text (reasons, errors, inputs) must never blow up a row or a message. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
