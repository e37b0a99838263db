import { LoggerService } from '@backstage/backend-plugin-api';
import { PostureStore } from '../posture/PostureStore';
import { postureAsOf } from '../reports/postureAsOf';
import { ReportStore } from '../reports/ReportStore';
import { chunk, IN_LIST_SIZE } from '../lib/rows';
import { groupSnapshots, toEntitySnapshot } from './aggregate';
import { HistoryStore } from './HistoryStore';

/** A source of the current instant, injectable so tests can move through days. */
export type Clock = () => Date;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of an instant (epoch millis), YYYY-MM-DD. */
export function dayOf(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** The instant a UTC day (YYYY-MM-DD) begins. */
export function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** What one run of the history job did. */
export interface HistoryRunResult {
  day: string;
  entities: number;
  backfilledDays: string[];
  prunedRows: number;
}

/**
 * Keeps the posture history: today's snapshot of every entity's posture
 * (computed by the posture store, the one definition), the days before the
 * first snapshot computed from the records (as the report computes posture
 * as of a date), and the days past retention deleted. Run by a global
 * scheduled task; each step is safe to repeat or to run on two replicas at
 * once (see HistoryStore.saveDay).
 */
export class PostureHistory {
  readonly #store: HistoryStore;
  readonly #posture: PostureStore;
  readonly #facts: Pick<ReportStore, 'postureFacts'>;
  readonly #reviewDueSoon: string;
  readonly #retentionDays: number;
  readonly #backfillDays: number;
  readonly #clock: Clock;
  readonly #logger?: LoggerService;

  constructor(options: {
    store: HistoryStore;
    posture: PostureStore;
    facts: Pick<ReportStore, 'postureFacts'>;
    reviewDueSoon: string;
    retentionDays: number;
    backfillDays: number;
    clock?: Clock;
    logger?: LoggerService;
  }) {
    this.#store = options.store;
    this.#posture = options.posture;
    this.#facts = options.facts;
    this.#reviewDueSoon = options.reviewDueSoon;
    this.#retentionDays = options.retentionDays;
    this.#backfillDays = options.backfillDays;
    this.#clock = options.clock ?? (() => new Date());
    this.#logger = options.logger;
  }

  /** Today's snapshot, then the backfill, then the pruning. */
  async run(): Promise<HistoryRunResult> {
    const now = this.#clock().getTime();
    const entities = await this.snapshot(now);
    const backfilledDays = await this.backfill(now);
    const prunedRows = await this.prune(now);
    const result = {
      day: dayOf(now),
      entities,
      backfilledDays,
      prunedRows,
    };
    this.#logger?.info(
      `Security posture history: ${entities} entities on ${result.day}, ` +
        `${backfilledDays.length} earlier days from the records, ${prunedRows} rows past retention deleted`,
    );
    return result;
  }

  /** Takes (or retakes) the snapshot of now's day; returns how many entities. */
  async snapshot(now: number): Promise<number> {
    const refs = await this.#store.listEntityRefs();
    const entities = [];
    for (const part of chunk(refs, IN_LIST_SIZE)) {
      const postures = await this.#posture.getPostureBatch({
        entityRefs: part,
        now: new Date(now),
        reviewDueSoon: this.#reviewDueSoon,
        // Incidents are counted per reader, never kept: what one reader may
        // count, another may not.
        incidentAccess: { allowed: false },
      });
      entities.push(...postures.map(toEntitySnapshot));
    }
    await this.#store.saveDay({
      day: dayOf(now),
      source: 'snapshot',
      takenAt: now,
      entities,
      groups: groupSnapshots(entities),
    });
    return entities.length;
  }

  /**
   * Computes the days before the earliest day kept, newest first, back to
   * `backfillDays` before now and no earlier than the first test or
   * review: each as of the end of its day, from the records dated up to
   * then. Stops at the first day already kept, so an interrupted backfill
   * resumes where it stopped.
   */
  async backfill(now: number): Promise<string[]> {
    const [earliestDay, evidence] = await Promise.all([
      this.#store.earliestDay(),
      this.#store.earliestEvidence(),
    ]);
    if (evidence === undefined || this.#backfillDays === 0) return [];
    const today = startOfDay(dayOf(now));
    const days = Math.min(this.#backfillDays, this.#retentionDays - 1);
    const limit = Math.max(today - days * DAY_MS, startOfDay(dayOf(evidence)));
    const done: string[] = [];
    let day = (earliestDay ? startOfDay(earliestDay) : today + DAY_MS) - DAY_MS;
    for (; day >= limit; day -= DAY_MS) {
      // As of the day's last millisecond.
      const asOf = day + DAY_MS - 1;
      const facts = await this.#facts.postureFacts({ asOf });
      const entities = postureAsOf({
        facts,
        asOf,
        reviewDueSoon: this.#reviewDueSoon,
      }).map(toEntitySnapshot);
      await this.#store.saveDay({
        day: dayOf(day),
        source: 'backfill',
        takenAt: now,
        entities,
        groups: groupSnapshots(entities),
      });
      done.push(dayOf(day));
    }
    return done;
  }

  /** Deletes the days older than the retention; returns the entity rows deleted. */
  async prune(now: number): Promise<number> {
    const keepFrom =
      startOfDay(dayOf(now)) - (this.#retentionDays - 1) * DAY_MS;
    return this.#store.prune({ before: dayOf(keepFrom) });
  }
}
