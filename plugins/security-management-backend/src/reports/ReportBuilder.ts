import {
  CONTROL_STATUSES,
  emptyControlCounts,
  emptyIncidentCounts,
  EntityPosture,
  PolicyReviewDue,
  postureScore,
  ReportExceptionFigures,
  ReportIncidentFigures,
  ReviewStatus,
  SecurityReport,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import { PostureStore } from '../posture/PostureStore';
import { countBySeverity, incidentFigures } from './incidentFigures';
import { ReportInstants } from './period';
import { exceptionFigures, testCoverage } from './periodFigures';
import {
  OpenIncident,
  openIncidentsByEntity,
  postureAsOf,
  rollUp,
} from './postureAsOf';
import { CoverageFacts, ReportStore } from './ReportStore';

/**
 * Where the report finds the security policies due for review: the policy
 * store, once the backend has one (see policies/). Without it the report
 * leaves `policiesDueForReview` out.
 */
export interface PoliciesDueForReviewSource {
  listPoliciesDueForReview(asOf: Date): Promise<PolicyReviewDue[]>;
}

/** When the report is computed: as of an instant and over a period. */
export interface ReportRequest {
  instants: ReportInstants;
  /**
   * Whether as-of is the current instant (no `asOf` in the request): then
   * posture is read as the posture pages read it, from the latest tests.
   */
  live: boolean;
  /** The incidents the reader may read. */
  incidentAccess: IncidentReadAccess;
}

/** The incidents of a report for a reader who may read some. */
export interface ReportIncidents {
  figures: ReportIncidentFigures;
  open: OpenIncident[];
}

/**
 * Builds the IT security report as of an instant and over a period:
 * posture by entity, owner, system and domain, incidents, exceptions, test
 * coverage and policies due for review. Every incident figure counts only
 * the incidents the reader may read, and is left out for a reader who may
 * read none.
 */
export class ReportBuilder {
  readonly #applicability: ApplicabilityStore;
  readonly #posture: PostureStore;
  readonly #store: ReportStore;
  readonly #reviewDueSoon: string;
  readonly #policies?: PoliciesDueForReviewSource;

  constructor(options: {
    applicability: ApplicabilityStore;
    posture: PostureStore;
    store: ReportStore;
    reviewDueSoon: string;
    policies?: PoliciesDueForReviewSource;
  }) {
    this.#applicability = options.applicability;
    this.#posture = options.posture;
    this.#store = options.store;
    this.#reviewDueSoon = options.reviewDueSoon;
    this.#policies = options.policies;
  }

  async build(request: ReportRequest): Promise<SecurityReport> {
    const { instants } = request;
    const incidents = await this.incidents(request);
    const [entities, controls, exceptions, pairs, policies] = await Promise.all(
      [
        this.entities(request, incidents?.open),
        this.#applicability.listControls(),
        this.exceptions(instants),
        this.coveragePairs(instants),
        this.#policies?.listPoliciesDueForReview(new Date(instants.asOf)),
      ],
    );

    const counts = emptyControlCounts();
    const review: Record<ReviewStatus, number> = {
      current: 0,
      'due-soon': 0,
      'review-required': 0,
      overdue: 0,
      'never-reviewed': 0,
    };
    for (const entity of entities) {
      for (const status of CONTROL_STATUSES) {
        counts[status] += entity.counts[status];
      }
      review[entity.review.status] += 1;
    }
    const open = incidents?.open;
    return {
      generatedAt: new Date().toISOString(),
      asOf: new Date(instants.asOf).toISOString(),
      period: {
        from: new Date(instants.from).toISOString(),
        to: new Date(instants.to).toISOString(),
      },
      summary: {
        entityCount: entities.length,
        controlCount: controls.length,
        counts,
        review,
        ...(incidents ? { openIncidents: countBySeverity(open!) } : {}),
        // Coverage only, as for a roll-up group: the review penalty belongs
        // to single entities.
        score: postureScore({ counts, review: 'current' }),
      },
      byOwner: rollUp({ entities, by: 'owner', openIncidents: open }),
      bySystem: rollUp({ entities, by: 'system', openIncidents: open }),
      byDomain: rollUp({ entities, by: 'domain', openIncidents: open }),
      entities,
      ...(incidents ? { incidents: incidents.figures } : {}),
      exceptions,
      testCoverage: testCoverage(pairs),
      ...(policies ? { policiesDueForReview: policies } : {}),
    };
  }

  /**
   * The incident figures and the incidents open at as-of, or undefined when
   * the reader may read no incident.
   */
  async incidents(
    request: Pick<ReportRequest, 'instants' | 'incidentAccess'>,
  ): Promise<ReportIncidents | undefined> {
    const { instants, incidentAccess } = request;
    if (!incidentAccess.allowed) return undefined;
    const facts = await this.#store.incidentFacts({
      asOf: instants.asOf,
      filter: incidentAccess.filter,
    });
    return incidentFigures(facts, instants);
  }

  /**
   * Every entity's posture at as-of with the open incidents given (none for
   * a reader who may read no incident). Live, from the posture store as the
   * posture pages read it; otherwise from the history up to as-of.
   */
  async entities(
    request: Pick<ReportRequest, 'instants' | 'live'>,
    open: OpenIncident[] | undefined,
  ): Promise<EntityPosture[]> {
    const { asOf } = request.instants;
    const reviewDueSoon = this.#reviewDueSoon;
    if (!request.live) {
      const facts = await this.#store.postureFacts({ asOf });
      return postureAsOf({ facts, asOf, reviewDueSoon, openIncidents: open });
    }
    // One read: every page of listPosture recomputes the posture of every
    // pair, so paging would repeat that work once per 500 entities. The
    // incidents are the report's own, counted at as-of.
    const page = await this.#posture.listPosture({
      query: { limit: Number.MAX_SAFE_INTEGER },
      now: new Date(asOf),
      reviewDueSoon,
      incidentAccess: { allowed: false },
    });
    const byEntity = openIncidentsByEntity(open);
    return page.items.map(entity =>
      byEntity
        ? {
            ...entity,
            openIncidents:
              byEntity.get(entity.entityRef) ?? emptyIncidentCounts(),
          }
        : entity,
    );
  }

  async exceptions(instants: ReportInstants): Promise<ReportExceptionFigures> {
    const facts = await this.#store.exceptionFacts({ asOf: instants.asOf });
    return exceptionFigures(facts, instants);
  }

  /** Every applicable pair with its tests within the period. */
  coveragePairs(instants: ReportInstants): Promise<CoverageFacts[]> {
    return this.#store.coverageFacts(instants);
  }
}
