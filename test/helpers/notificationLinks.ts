/**
 * The links VS Code makes of a notification's message: its own pattern, from parseLinkedText
 * (src/vs/base/common/linkedText.ts, as in VS Code 1.100's workbench). A message holding none of these
 * cannot run a command when clicked.
 */
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

export function notificationLinks(message: string): string[] {
  return [...message.matchAll(LINK)].map((m) => m[2]);
}
