import {
  ExceptionInput,
  ExceptionQuery,
  Page,
  SecurityException,
} from '@open-itsm/plugin-security-management-common';

/**
 * Exceptions: accepted risk on one control of one entity, until expiry.
 * Reads answer each status as at `now` (default: the current time): an
 * approved exception whose expiry has passed is `expired` at once, before
 * the daily housekeeping marks it so.
 */
export interface ExceptionStore {
  requestException(options: {
    input: ExceptionInput;
    requestedBy: string;
    now: Date;
  }): Promise<SecurityException>;
  getException(id: string, now?: Date): Promise<SecurityException | undefined>;
  /** Throws NotAllowedError when the decider requested it, ConflictError unless requested. */
  decideException(options: {
    id: string;
    decision: 'approved' | 'rejected';
    decidedBy: string;
    note?: string;
    now: Date;
  }): Promise<SecurityException>;
  listExceptions(
    query: ExceptionQuery,
    now?: Date,
  ): Promise<Page<SecurityException>>;
  /** Approved exceptions whose expiry has passed become expired; returns them. */
  expireExceptions(now: Date): Promise<SecurityException[]>;
}
