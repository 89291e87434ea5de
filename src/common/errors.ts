/** The user cancelled a prompt: the command stops silently. */
export class UserCancelled extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'UserCancelled';
  }
}

/** An error whose message is written for the user, with optional buttons the wrapper offers. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly actions: readonly ErrorAction[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserFacingError';
  }
}

interface ErrorAction {
  title: string;
  command: string;
  args?: unknown[];
}

/** The sentence shown to the user for any error. API errors already carry readable messages. */
export function userMessage(error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  if (error instanceof Error && error.name === 'WorkflowsApiError') return error.message;
  if (error instanceof Error) return `Unexpected error: ${error.message}`;
  return `Unexpected error: ${String(error)}`;
}
