import * as vscode from 'vscode';
import { inertLinks } from './notificationText';

export type NotifyLevel = 'info' | 'warning' | 'error';

/**
 * Every question the extension asks the user goes through this interface, so that tests can answer
 * (and fail on a question they did not expect) instead of hanging on a real prompt.
 */
export interface UserInput {
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined>;
  /** A quick pick that also accepts free text (an id typed or pasted). Returns the item or the text. */
  pickOrEnter<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: { title: string; placeholder: string; enterLabel: (text: string) => string },
  ): Promise<T | string | undefined>;
  /** A modal confirmation; true only when the confirm button was pressed. */
  confirm(message: string, detail: string, confirmLabel: string): Promise<boolean>;
  /** A modal with a second way forward (e.g. “Check Replay First”): which button, or undefined for Cancel. */
  confirmOr(message: string, detail: string, confirmLabel: string, alternativeLabel: string): Promise<'confirm' | 'alternative' | undefined>;
  /**
   * A non-modal notification with optional action buttons; resolves with the clicked action. A message
   * holding server text goes through inertLinks first (a notification turns `[x](command:…)` into a link).
   */
  notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined>;
}

export class VsCodeUserInput implements UserInput {
  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  }

  async pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    return vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options, canPickMany: false });
  }

  async pickMany<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<readonly T[] | undefined> {
    return vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options, canPickMany: true });
  }

  pickOrEnter<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: { title: string; placeholder: string; enterLabel: (text: string) => string },
  ): Promise<T | string | undefined> {
    return new Promise((resolve) => {
      const pick = vscode.window.createQuickPick<T | EnteredItem>();
      pick.title = options.title;
      pick.placeholder = options.placeholder;
      pick.ignoreFocusOut = true;
      pick.matchOnDescription = true;
      pick.items = items;
      let settled = false;
      const finish = (value: T | string | undefined): void => {
        if (settled) return;
        settled = true;
        resolve(value);
        pick.dispose();
      };
      pick.onDidChangeValue((text) => {
        const typed = text.trim();
        pick.items = typed ? [{ label: options.enterLabel(typed), entered: typed, alwaysShow: true }, ...items] : items;
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0];
        if (chosen && isEntered(chosen)) finish(chosen.entered);
        else if (chosen) finish(chosen as T);
        else if (pick.value.trim()) finish(pick.value.trim());
      });
      pick.onDidHide(() => finish(undefined));
      pick.show();
    });
  }

  async confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    return answer === confirmLabel;
  }

  async confirmOr(message: string, detail: string, confirmLabel: string, alternativeLabel: string): Promise<'confirm' | 'alternative' | undefined> {
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel, alternativeLabel);
    return answer === confirmLabel ? 'confirm' : answer === alternativeLabel ? 'alternative' : undefined;
  }

  async notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    // Callers pass their messages through inertLinks already; a caller that forgets still makes no link.
    const text = inertLinks(message);
    switch (level) {
      case 'info':
        return vscode.window.showInformationMessage(text, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(text, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(text, ...actions);
    }
  }
}

interface EnteredItem extends vscode.QuickPickItem {
  entered: string;
}

function isEntered(item: vscode.QuickPickItem): item is EnteredItem {
  return typeof (item as Partial<EnteredItem>).entered === 'string';
}
