import { createHash } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Advisory,
  AdvisoryFeed,
} from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { connectSecurityDatabase } from '../lib/database';
import {
  chunk,
  chunkRows,
  DbMillis,
  IN_LIST_SIZE,
  optional,
  toOptionalIso,
} from '../lib/rows';
import { ParsedAdvisory } from './matching';

/** A feed as configured: what to read and how to parse it. */
export interface FeedConfig {
  id: string;
  type: 'osv' | 'kev';
  target: string;
}

type FeedRow = {
  feed_id: string;
  type: string;
  target: string;
  status: string;
  last_attempt_at: DbMillis | null;
  last_success_at: DbMillis | null;
  error: string | null;
  warnings: string;
  advisory_count: number;
  content_digest?: string | null;
};

type AdvisoryRow = {
  advisory_id: string;
  feed_id: string;
  source: string;
  summary: string;
  details: string | null;
  severity: string;
  aliases: string;
  published_at: DbMillis | null;
  modified_at: DbMillis | null;
  withdrawn_at: DbMillis | null;
  references: string;
  affected: string;
  kev: string | null;
};

function millisOf(value: string | undefined): number | null {
  if (!value) return null;
  const millis = Date.parse(value);
  return Number.isFinite(millis) ? millis : null;
}

function rowToFeed(row: FeedRow): AdvisoryFeed {
  return {
    id: row.feed_id,
    type: row.type as AdvisoryFeed['type'],
    target: row.target,
    status: row.status as AdvisoryFeed['status'],
    lastAttemptAt: toOptionalIso(row.last_attempt_at),
    lastSuccessAt: toOptionalIso(row.last_success_at),
    error: optional(row.error),
    warnings: JSON.parse(row.warnings),
    advisoryCount: Number(row.advisory_count),
  };
}

function rowToParsed(row: AdvisoryRow): ParsedAdvisory {
  return {
    id: row.advisory_id,
    source: row.source as ParsedAdvisory['source'],
    summary: row.summary,
    details: optional(row.details),
    severity: row.severity as ParsedAdvisory['severity'],
    aliases: JSON.parse(row.aliases),
    publishedAt: toOptionalIso(row.published_at),
    modifiedAt: toOptionalIso(row.modified_at),
    withdrawnAt: toOptionalIso(row.withdrawn_at),
    references: JSON.parse(row.references),
    affected: JSON.parse(row.affected),
    knownExploited: row.kev ? JSON.parse(row.kev) : undefined,
  };
}

/** The advisory as the API shows it; `knownExploited` comes from the index. */
export function toApiAdvisory(
  advisory: ParsedAdvisory,
  feedId: string,
  kev?: ParsedAdvisory['knownExploited'],
): Advisory {
  const exploited = advisory.knownExploited ?? kev;
  return {
    id: advisory.id,
    source: advisory.source,
    feedId,
    summary: advisory.summary,
    details: advisory.details,
    severity: advisory.severity,
    aliases: advisory.aliases,
    knownExploited: exploited !== undefined,
    kevDueDate: exploited?.dueDate,
    kevRequiredAction: exploited?.requiredAction,
    publishedAt: advisory.publishedAt,
    modifiedAt: advisory.modifiedAt,
    references: advisory.references,
  };
}

/**
 * The configured feeds and the advisories each holds. A feed's advisories
 * are replaced in one transaction, so a failed read leaves the previous
 * state whole.
 */
export class AdvisoryFeedStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<AdvisoryFeedStore> {
    return new AdvisoryFeedStore(
      await connectSecurityDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Makes the stored feeds those configured: new ones start as never read,
   * and a feed no longer configured goes, with its advisories.
   */
  async configureFeeds(feeds: FeedConfig[]): Promise<void> {
    await this.db.transaction(async tx => {
      const stored = await tx<FeedRow>('advisory_feeds').select('feed_id');
      const wanted = new Set(feeds.map(feed => feed.id));
      const gone = stored.map(row => row.feed_id).filter(id => !wanted.has(id));
      if (gone.length) {
        await tx('advisories').whereIn('feed_id', gone).delete();
        await tx('advisory_feeds').whereIn('feed_id', gone).delete();
      }
      for (const feed of feeds) {
        await tx('advisory_feeds')
          .insert({
            feed_id: feed.id,
            type: feed.type,
            target: feed.target,
            status: 'never-read',
            warnings: '[]',
            advisory_count: 0,
          })
          .onConflict('feed_id')
          .merge(['type', 'target']);
      }
    });
  }

  async listFeeds(): Promise<AdvisoryFeed[]> {
    const rows = await this.db<FeedRow>('advisory_feeds').orderBy('feed_id');
    return rows.map(rowToFeed);
  }

  /**
   * Replaces a feed's advisories with those just read, all or nothing. An
   * id another feed already holds stays with that feed, and says so.
   */
  async replaceFeed(options: {
    feedId: string;
    advisories: ParsedAdvisory[];
    warnings: string[];
    now: Date;
  }): Promise<AdvisoryFeed> {
    const { feedId, now } = options;
    return this.db.transaction(async tx => {
      // One replacement of a feed at a time (the schedule and a manual
      // refresh on two replicas): the second waits, then replaces the
      // first's rows instead of taking them for another feed's.
      await tx('advisory_feeds')
        .where('feed_id', feedId)
        .forUpdate()
        .select('feed_id');
      await tx('advisories').where('feed_id', feedId).delete();
      const byId = new Map<string, ParsedAdvisory>();
      for (const advisory of options.advisories)
        byId.set(advisory.id, advisory);
      const rows = [...byId.values()].map(advisory => ({
        advisory_id: advisory.id,
        feed_id: feedId,
        source: advisory.source,
        summary: advisory.summary,
        details: advisory.details ?? null,
        severity: advisory.severity,
        aliases: JSON.stringify(advisory.aliases),
        published_at: millisOf(advisory.publishedAt),
        modified_at: millisOf(advisory.modifiedAt),
        withdrawn_at: millisOf(advisory.withdrawnAt),
        references: JSON.stringify(advisory.references),
        affected: JSON.stringify(advisory.affected),
        kev: advisory.knownExploited
          ? JSON.stringify(advisory.knownExploited)
          : null,
      }));
      // An id another feed holds, or takes meanwhile, stays with it. In id
      // order, so that two feeds written at once cannot deadlock.
      rows.sort((a, b) => (a.advisory_id < b.advisory_id ? -1 : 1));
      for (const part of chunkRows(rows)) {
        await tx('advisories').insert(part).onConflict('advisory_id').ignore();
      }
      const taken = new Set<string>();
      for (const ids of chunk([...byId.keys()], IN_LIST_SIZE)) {
        const held = await tx<AdvisoryRow>('advisories')
          .whereIn('advisory_id', ids)
          .whereNot('feed_id', feedId)
          .select('advisory_id');
        for (const row of held) taken.add(row.advisory_id);
      }
      const warnings = [...options.warnings];
      if (taken.size) {
        const sample = [...taken].slice(0, 5).join(', ');
        warnings.push(
          `${
            taken.size === 1
              ? '1 advisory is already provided by another feed and was'
              : `${taken.size} advisories are already provided by another feed and were`
          } left with it: ${sample}${taken.size > 5 ? ', …' : ''}`,
        );
      }
      const digest = createHash('sha256');
      for (const stored of rows) {
        if (taken.has(stored.advisory_id)) continue;
        digest.update(JSON.stringify(stored)).update('\n');
      }
      const row = {
        status: 'ok',
        last_attempt_at: now.getTime(),
        last_success_at: now.getTime(),
        error: null,
        warnings: JSON.stringify(warnings),
        advisory_count: rows.length - taken.size,
        content_digest: digest.digest('hex'),
      };
      await tx('advisory_feeds').where('feed_id', feedId).update(row);
      const [stored] = await tx<FeedRow>('advisory_feeds').where(
        'feed_id',
        feedId,
      );
      return rowToFeed(stored);
    });
  }

  /** Records why a feed could not be read; its advisories stay as they were. */
  async recordFeedFailure(options: {
    feedId: string;
    error: string;
    now: Date;
  }): Promise<AdvisoryFeed> {
    await this.db('advisory_feeds').where('feed_id', options.feedId).update({
      status: 'error',
      last_attempt_at: options.now.getTime(),
      error: options.error,
    });
    const [stored] = await this.db<FeedRow>('advisory_feeds').where(
      'feed_id',
      options.feedId,
    );
    return rowToFeed(stored);
  }

  /**
   * A value that changes whenever any feed's advisories change, so a
   * replica can tell whether the index it holds is current.
   */
  async version(): Promise<string> {
    // The digest of what each feed holds, not when it was read: a feed read
    // again with the same advisories leaves the version, and so every
    // entity's fingerprint, as it was.
    const rows = await this.db<FeedRow>('advisory_feeds')
      .select('feed_id', 'content_digest')
      .orderBy('feed_id');
    return rows
      .map(row => `${row.feed_id}:${row.content_digest ?? 'none'}`)
      .join('|');
  }

  /** Every advisory, with the feed it came from. */
  async loadAdvisories(): Promise<
    Array<{ advisory: ParsedAdvisory; feedId: string }>
  > {
    const rows = await this.db<AdvisoryRow>('advisories').select();
    return rows.map(row => ({
      advisory: rowToParsed(row),
      feedId: row.feed_id,
    }));
  }
}
