import type * as vscode from 'vscode';
import type { NotifyLevel, UserInput } from '../../../src/common/ui';

/** What the “user” does elsewhere while the prompt is open, before answering it (e.g. switch workspace). */
interface WhileOpen {
  act?: () => Promise<void>;
}

/** One expected prompt and how the “user” answers it. */
export type Step = WhileOpen & (
  | { kind: 'input'; titleMatch?: RegExp; answer: string | undefined; /** typed first; each must be refused inline */ rejected?: string[] }
  | { kind: 'pickOne'; titleMatch?: RegExp; choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined }
  | { kind: 'pickMany'; titleMatch?: RegExp; choose: (items: readonly vscode.QuickPickItem[]) => readonly vscode.QuickPickItem[] | undefined }
  | { kind: 'pickOrEnter'; titleMatch?: RegExp; answer: string | undefined }
  | { kind: 'confirm'; answer: boolean | 'alternative' }
);

interface Notification {
  level: NotifyLevel;
  message: string;
  actions: string[];
}

/**
 * A user who answers exactly the prompts a test scripted, in order. A prompt nobody scripted is
 * recorded as unexpected and answered with Escape, so the test fails on `assertDone()` instead of
 * hanging on a real prompt.
 */
export class ScriptedUi implements UserInput {
  /** Every message shown to the “user” in this test run, across instances (for the secrets check). */
  static readonly shown: string[] = [];
  readonly asked: { kind: string; title?: string; prompt?: string; detail?: string; message?: string }[] = [];
  readonly validationMessages: string[] = [];
  readonly notifications: Notification[] = [];
  readonly unexpected: string[] = [];
  /** Answers for notifications' action buttons, matched by message. */
  notificationAnswers: { match: RegExp; action: string }[] = [];
  private waiters: { match: RegExp; resolve: (n: Notification) => void }[] = [];

  constructor(private readonly steps: Step[] = []) {}

  script(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.asked.push({ kind: 'input', title: options.title, prompt: options.prompt });
    const step = this.take('input', options.title);
    if (!step) return undefined;
    await step.act?.();
    for (const attempt of step.rejected ?? []) {
      const message = await options.validateInput?.(attempt);
      const text = typeof message === 'string' ? message : message?.message;
      if (!text) this.unexpected.push(`input “${options.title}” accepted ${JSON.stringify(attempt)} that the test expected to be refused`);
      else this.validationMessages.push(text);
    }
    if (step.answer !== undefined) {
      const message = await options.validateInput?.(step.answer);
      const text = typeof message === 'string' ? message : message?.message;
      if (text) {
        this.unexpected.push(`input “${options.title}” refused ${JSON.stringify(step.answer)}: ${text}`);
        return undefined;
      }
    }
    return step.answer;
  }

  async pickOne<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    this.asked.push({ kind: 'pickOne', title: options.title });
    const step = this.take('pickOne', options.title);
    await step?.act?.();
    return step ? (step.choose(items) as T | undefined) : undefined;
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined> {
    this.asked.push({ kind: 'pickMany', title: options.title });
    const step = this.take('pickMany', options.title);
    await step?.act?.();
    return step ? (step.choose(items) as readonly T[] | undefined) : undefined;
  }

  async pickOrEnter<T extends vscode.QuickPickItem>(_items: readonly T[], options: { title: string }): Promise<T | string | undefined> {
    this.asked.push({ kind: 'pickOrEnter', title: options.title });
    const step = this.take('pickOrEnter', options.title);
    await step?.act?.();
    return step?.answer;
  }

  async confirm(message: string, detail: string): Promise<boolean> {
    ScriptedUi.shown.push(message, detail);
    this.asked.push({ kind: 'confirm', message, detail });
    const step = this.take('confirm', message);
    await step?.act?.();
    return step?.answer === true;
  }

  /** Answered by a `confirm` step: true is the confirm button, 'alternative' the other one. */
  async confirmOr(message: string, detail: string): Promise<'confirm' | 'alternative' | undefined> {
    ScriptedUi.shown.push(message, detail);
    this.asked.push({ kind: 'confirm', message, detail });
    const step = this.take('confirm', message);
    await step?.act?.();
    return step?.answer === true ? 'confirm' : step?.answer === 'alternative' ? 'alternative' : undefined;
  }

  async notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    const notification = { level, message, actions };
    ScriptedUi.shown.push(message);
    this.notifications.push(notification);
    for (const waiter of this.waiters.filter((w) => w.match.test(message))) waiter.resolve(notification);
    this.waiters = this.waiters.filter((w) => !w.match.test(message));
    const answer = this.notificationAnswers.find((a) => a.match.test(message));
    if (answer) this.notificationAnswers.splice(this.notificationAnswers.indexOf(answer), 1);
    return answer?.action;
  }

  /** Resolves with the first notification (past or future) whose message matches. */
  waitForNotification(match: RegExp, timeoutMs = 15000): Promise<Notification> {
    const seen = this.notifications.find((n) => match.test(n.message));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No notification matching ${match} within ${timeoutMs} ms; got: ${JSON.stringify(this.notifications)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (n) => { clearTimeout(timer); resolve(n); } });
    });
  }

  /** Every scripted prompt was asked, and nothing else. */
  assertDone(): void {
    const problems = [...this.unexpected];
    if (this.steps.length > 0) problems.push(`${this.steps.length} scripted prompt(s) never asked: ${this.steps.map((s) => s.kind).join(', ')}`);
    if (problems.length > 0) throw new Error(`Prompts did not go as scripted:\n- ${problems.join('\n- ')}\nAsked: ${JSON.stringify(this.asked, null, 1)}`);
  }

  private take<K extends Step['kind']>(kind: K, title: string | undefined): Extract<Step, { kind: K }> | undefined {
    const step = this.steps[0];
    if (!step || step.kind !== kind) {
      this.unexpected.push(`unexpected ${kind} prompt “${title ?? ''}” (next scripted: ${step?.kind ?? 'nothing'})`);
      return undefined;
    }
    const match = 'titleMatch' in step ? step.titleMatch : undefined;
    if (match && !match.test(title ?? '')) {
      this.unexpected.push(`${kind} prompt “${title ?? ''}” does not match ${match}`);
    }
    this.steps.shift();
    return step as Extract<Step, { kind: K }>;
  }
}

/** Reason → options (nothing excluded unless `exclude` says so) → the confirmation's answer (default: Reset). */
export function resetSteps(reason: string, exclude: { signals?: boolean; updates?: boolean } = {}, confirm: boolean | 'alternative' = true): Step[] {
  return [
    { kind: 'input', titleMatch: /reason/, answer: reason },
    {
      kind: 'pickMany',
      titleMatch: /options/,
      choose: (items) => items.filter((i) => (exclude.signals === true && /signals/.test(i.label)) || (exclude.updates === true && /updates/.test(i.label))),
    },
    { kind: 'confirm', answer: confirm },
  ];
}
