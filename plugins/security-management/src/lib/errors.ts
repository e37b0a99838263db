import { ResponseError } from '@backstage/errors';

/** Whether the backend refused because the caller lacks a permission. */
export function isForbidden(error: unknown): boolean {
  if (error instanceof ResponseError) {
    return error.statusCode === 403;
  }
  return (error as Error | undefined)?.name === 'NotAllowedError';
}

/** Whether the backend answered 404. */
export function isNotFound(error: unknown): boolean {
  if (error instanceof ResponseError) {
    return error.statusCode === 404;
  }
  return (error as Error | undefined)?.name === 'NotFoundError';
}

/** Whether the backend refused a write made against a stale version. */
export function isConflict(error: unknown): boolean {
  if (error instanceof ResponseError) {
    return error.statusCode === 409;
  }
  return (error as Error | undefined)?.name === 'ConflictError';
}

/** The message the server gave for a refusal, or the error's own message. */
export function serverMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
