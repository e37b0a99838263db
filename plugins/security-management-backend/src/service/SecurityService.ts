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
import { applicabilityProblems } from '../applicability/lookups';
import { SecurityStores } from '../database';
import { inputError } from '../lib/inputProblems';

/**
 * The rules a write must satisfy beyond its shape: the entities and controls
 * it names exist and apply to each other, timestamps are not in the future,
 * defaults come from the control and the entity's risk tier, and nobody
 * approves their own exception. Persistence is the store's.
 */
export class SecurityService {
  readonly #stores: SecurityStores;

  constructor(options: { stores: SecurityStores }) {
    this.#stores = options.stores;
  }

  async requestException(options: {
    input: ExceptionInput;
    requestedBy: string;
    now: Date;
  }): Promise<SecurityException> {
    const { input, requestedBy, now } = options;
    const entity = await this.#stores.applicability.getEntity(input.entityRef);
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
    return this.#stores.exceptions.requestException({
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
    const existing = await this.#stores.exceptions.getException(id);
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
    return this.#stores.exceptions.decideException({
      id,
      decision,
      decidedBy,
      note,
      now,
    });
  }
}
