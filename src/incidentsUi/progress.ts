/** The reader's progress in VS Code: a notification with Cancel, which aborts the reads in flight. */
import * as vscode from 'vscode';
import { inertLinks } from '../common/notificationText';
import type { CancellableProgress } from './problemReader';

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
