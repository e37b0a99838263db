import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ExceptionStore } from '../exceptions/ExceptionStore';
import { TestingStore } from '../testing/TestingStore';
import { audited } from '../lib/audit';

/** What one daily run found and did. */
export interface HousekeepingResult {
  expiredExceptionIds: string[];
  overdueTests: number;
  untestedPairs: number;
  overdueReviews: number;
  neverReviewed: number;
}

/**
 * The daily chores: approved exceptions past their expiry become expired
 * (audited), and the counts of overdue tests and reviews are logged.
 * Posture itself is computed at read time, so it is exact without this.
 */
export class DailyHousekeeping {
  readonly #exceptions: ExceptionStore;
  readonly #testing: TestingStore;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;

  constructor(options: {
    exceptions: ExceptionStore;
    testing: TestingStore;
    auditor: AuditorService;
    logger: LoggerService;
  }) {
    this.#exceptions = options.exceptions;
    this.#testing = options.testing;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
  }

  async run(now: Date = new Date()): Promise<HousekeepingResult> {
    const expired = await audited({
      auditor: this.#auditor,
      event: {
        eventId: 'exception-expire',
        severityLevel: 'medium',
        meta: { trigger: 'schedule' },
      },
      run: () => this.#exceptions.expireExceptions(now),
      describe: exceptions => ({
        count: exceptions.length,
        exceptions: exceptions.map(exception => ({
          id: exception.id,
          controlRef: exception.controlRef,
          entityRef: exception.entityRef,
          expiresAt: exception.expiresAt,
        })),
      }),
    });

    const iso = now.toISOString();
    const schedule = await this.#testing.schedule({
      query: { from: iso, to: iso },
      now,
    });
    const result: HousekeepingResult = {
      expiredExceptionIds: expired.map(exception => exception.id),
      overdueTests: schedule.tests.filter(t => t.state === 'overdue').length,
      untestedPairs: schedule.tests.filter(t => t.state === 'untested').length,
      overdueReviews: schedule.reviews.filter(r => r.state === 'overdue')
        .length,
      neverReviewed: schedule.reviews.filter(r => r.state === 'never-reviewed')
        .length,
    };
    this.#logger.info(
      `Security housekeeping: ${result.expiredExceptionIds.length} exceptions expired; ` +
        `${result.overdueTests} tests overdue, ${result.untestedPairs} never tested; ` +
        `${result.overdueReviews} reviews overdue, ${result.neverReviewed} entities never reviewed`,
    );
    return result;
  }
}
