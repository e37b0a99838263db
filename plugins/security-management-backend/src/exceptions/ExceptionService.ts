import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  ExceptionInput,
  SecurityException,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { applicabilityProblems } from '../applicability/lookups';
import { inputError } from '../lib/inputProblems';
import { ExceptionStore } from './ExceptionStore';

/**
 * The rules an exception must satisfy beyond its shape: its control applies
 * to its entity and it expires in the future; nobody decides on their own
 * request, and an exception that has run out cannot be approved.
 */
export class ExceptionService {
  readonly #applicability: ApplicabilityStore;
  readonly #exceptions: ExceptionStore;

  constructor(options: {
    applicability: ApplicabilityStore;
    exceptions: ExceptionStore;
  }) {
    this.#applicability = options.applicability;
    this.#exceptions = options.exceptions;
  }

  async requestException(options: {
    input: ExceptionInput;
    requestedBy: string;
    now: Date;
  }): Promise<SecurityException> {
    const { input, requestedBy, now } = options;
    const entity = await this.#applicability.getEntity(input.entityRef);
    const problems = applicabilityProblems({
      entity,
      entityRef: input.entityRef,
      controlRef: input.controlRef,
      prefix: '',
    });
    if (toMillis(input.expiresAt) <= now.getTime()) {
      problems.push(`expiresAt: ${input.expiresAt} must be in the future`);
    }
    if (problems.length) throw inputError(problems);
    return this.#exceptions.requestException({
      input,
      requestedBy,
      now,
    });
  }

  /**
   * Approves or rejects a requested exception. Nobody may decide on their
   * own request, and an exception that has already run out cannot be
   * approved.
   */
  async decideException(options: {
    id: string;
    decision: 'approved' | 'rejected';
    decidedBy: string;
    note?: string;
    now: Date;
  }): Promise<SecurityException> {
    const { id, decision, decidedBy, note, now } = options;
    const existing = await this.#exceptions.getException(id, now);
    if (!existing) {
      throw new NotFoundError(`No exception with id '${id}'`);
    }
    if (existing.requestedBy === decidedBy) {
      throw new NotAllowedError(
        'You cannot decide on an exception you requested yourself',
      );
    }
    if (existing.status !== 'requested') {
      throw new ConflictError(
        `Exception '${id}' has already been ${existing.status}`,
      );
    }
    if (
      decision === 'approved' &&
      toMillis(existing.expiresAt) <= now.getTime()
    ) {
      throw new ConflictError(
        `Exception '${id}' expired at ${existing.expiresAt}; request a new one`,
      );
    }
    return this.#exceptions.decideException({
      id,
      decision,
      decidedBy,
      note,
      now,
    });
  }
}
