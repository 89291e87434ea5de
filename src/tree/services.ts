import type { WorkflowsClient } from '../api';
import type { TreeNode } from './node';

/** What the nodes need from the rest of the extension. */
export interface TreeServices {
  client(): Promise<WorkflowsClient>;
  eventsPageSize(): number;
  refresh(node?: TreeNode): void;
  /** A short, user-facing sentence for any error (the details go to the log). */
  describeError(error: unknown): string;
}
