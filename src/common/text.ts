/** Plain-text shaping shared by tree rows, notifications and summaries. No `vscode` import. */

/** At most `max` characters, an ellipsis standing for what was cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line, bounded: server text (reasons, errors, inputs) must never blow up a row or a message. */
export function oneLine(text: string, max = 120): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}
