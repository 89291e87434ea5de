/** The reader's progress in VS Code: a notification with Cancel (Group by Problem), or the view's own bar (stuck rows). */
import * as vscode from 'vscode';
import { VIEW_IDS } from '../commands/ids';
import { inertLinks } from '../common/notificationText';
import type { CancellableProgress } from './problemReader';

/** A notification with Cancel, which aborts the reads in flight. */
export const notificationProgress: CancellableProgress = async (title, task) =>
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: inertLinks(title), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      return await task((message) => progress.report({ message: inertLinks(message) }), abort.signal);
    } finally {
      subscription.dispose();
    }
  });

/**
 * The Executions view's own progress bar, for reads nobody waits for (stuck rows): no Cancel and no
 * notification; the caller's signal (a refresh) stops them.
 */
export const viewProgress: CancellableProgress = async (title, task) =>
  await vscode.window.withProgress({ location: { viewId: VIEW_IDS.executions }, title: inertLinks(title) }, async () => task(() => undefined, new AbortController().signal));
