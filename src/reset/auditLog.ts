import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export type AuditOutcome = 'applied' | 'failed' | 'not applied' | 'unknown';

/** One line of the audit trail: every reset the extension sends, whatever came of it. */
interface ResetAuditEntry {
  time: string;
  workspace: string;
  baseUrl: string;
  executionId: string;
  workflowName: string;
  oldRunId?: string;
  eventId: number;
  reason: string;
  excludeSignals: boolean;
  excludeUpdates: boolean;
  outcome: AuditOutcome;
  newRunId?: string;
  error?: string;
  /** Set when the reset was part of a batch. */
  batch?: string;
}

/**
 * An append-only JSON-lines file in the extension's global storage. Writes are queued so lines never
 * interleave; a failed write is reported to `onError` and never fails the reset it describes.
 */
export class ResetAudit {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  record(entry: ResetAuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.queue = this.queue.then(async () => {
      try {
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await fs.appendFile(this.file, line, 'utf8');
      } catch (error) {
        this.onError(error);
      }
    });
    return this.queue;
  }

  async entries(): Promise<ResetAuditEntry[]> {
    await this.queue;
    const text = await fs.readFile(this.file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as ResetAuditEntry);
  }
}
