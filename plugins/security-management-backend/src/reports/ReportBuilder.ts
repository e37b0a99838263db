import {
  addDuration,
  CONTROL_STATUSES,
  emptyControlCounts,
  emptyIncidentCounts,
  EntityPosture,
  Incident,
  IncidentSeverityCounts,
  Page,
  postureScore,
  ReviewStatus,
  SecurityException,
  SecurityReport,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { ExceptionStore } from '../exceptions/ExceptionStore';
import { IncidentReadAccess } from '../incidents/incidentAccess';
import { IncidentStore } from '../incidents/IncidentStore';
import { PostureStore } from '../posture/PostureStore';

const PAGE_SIZE = 500;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

async function readAll<T>(
  readPage: (page: { limit: number; offset: number }) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await readPage({ limit: PAGE_SIZE, offset: items.length });
    items.push(...page.items);
    if (page.items.length < PAGE_SIZE || items.length >= page.totalCount) {
      return items;
    }
  }
}

function meanHours(
  incidents: Incident[],
  phase: 'contained' | 'closed',
): number | null {
  const hours = incidents.flatMap(incident => {
    const start = incident.phases.reported;
    const end = incident.phases[phase];
    return start && end ? [(toMillis(end) - toMillis(start)) / HOUR_MS] : [];
  });
  if (!hours.length) return null;
  const mean = hours.reduce((sum, h) => sum + h, 0) / hours.length;
  return Math.round(mean * 10) / 10;
}

/**
 * Builds the IT security report: the posture of every entity, totals, the
 * roll-up by owner, incident figures and exceptions in force. Every
 * incident figure counts only the incidents the reader may read, and is
 * left out for a reader who may read none.
 */
export class ReportBuilder {
  readonly #applicability: ApplicabilityStore;
  readonly #posture: PostureStore;
  readonly #incidents: IncidentStore;
  readonly #exceptions: ExceptionStore;
  readonly #reviewDueSoon: string;

  constructor(options: {
    applicability: ApplicabilityStore;
    posture: PostureStore;
    incidents: IncidentStore;
    exceptions: ExceptionStore;
    reviewDueSoon: string;
  }) {
    this.#applicability = options.applicability;
    this.#posture = options.posture;
    this.#incidents = options.incidents;
    this.#exceptions = options.exceptions;
    this.#reviewDueSoon = options.reviewDueSoon;
  }

  async build(options: {
    now: Date;
    /** The incidents the reader may read. */
    incidentAccess: IncidentReadAccess;
  }): Promise<SecurityReport> {
    const { now, incidentAccess } = options;
    const reviewDueSoon = this.#reviewDueSoon;
    const [entities, controls, byOwner, incidents, approved] =
      await Promise.all([
        // One read: every page of listPosture recomputes the posture of
        // every pair, so paging would repeat that work once per 500 entities.
        this.#posture
          .listPosture({
            query: { limit: Number.MAX_SAFE_INTEGER },
            now,
            reviewDueSoon,
            incidentAccess,
          })
          .then(page => page.items),
        this.#applicability.listControls(),
        this.#posture.rollup({
          by: 'owner',
          now,
          reviewDueSoon,
          incidentAccess,
        }),
        incidentAccess.allowed
          ? readAll(page =>
              this.#incidents.listIncidents({
                query: page,
                filter: incidentAccess.filter,
              }),
            )
          : undefined,
        readAll(page =>
          this.#exceptions.listExceptions({ ...page, status: ['approved'] }),
        ),
      ]);

    const counts = emptyControlCounts();
    const review: Record<ReviewStatus, number> = {
      current: 0,
      'due-soon': 0,
      overdue: 0,
      'never-reviewed': 0,
    };
    for (const entity of entities) {
      for (const status of CONTROL_STATUSES) {
        counts[status] += entity.counts[status];
      }
      review[entity.review.status] += 1;
    }

    const inForce = approved.filter(
      (exception: SecurityException) =>
        toMillis(exception.expiresAt) > now.getTime(),
    );
    const in30Days = toMillis(addDuration(now, 'P30D'));

    const figures = incidents && incidentFigures(incidents, now);
    return {
      generatedAt: now.toISOString(),
      summary: {
        entityCount: entities.length,
        controlCount: controls.length,
        counts,
        review,
        ...(figures ? { openIncidents: figures.openIncidents } : {}),
        // Coverage only, as for a roll-up group: the review penalty belongs
        // to single entities.
        score: postureScore({ counts, review: 'current' }),
      },
      byOwner: byOwner.items,
      entities,
      ...(figures ? { incidents: figures.incidents } : {}),
      exceptions: {
        active: inForce.length,
        expiringIn30Days: inForce.filter(
          exception => toMillis(exception.expiresAt) <= in30Days,
        ).length,
      },
    };
  }
}

/** Open incidents by severity and the incident figures, from incidents. */
function incidentFigures(
  incidents: Incident[],
  now: Date,
): Required<Pick<SecurityReport, 'incidents'>> & {
  openIncidents: IncidentSeverityCounts;
} {
  const openIncidents = emptyIncidentCounts();
  const open = incidents.filter(incident => incident.status !== 'closed');
  for (const incident of open) openIncidents[incident.severity] += 1;
  const ninetyDaysAgo = now.getTime() - 90 * DAY_MS;
  const closedLast90Days = incidents.filter(
    incident =>
      incident.status === 'closed' &&
      incident.phases.closed !== undefined &&
      toMillis(incident.phases.closed) >= ninetyDaysAgo,
  ).length;
  return {
    openIncidents,
    incidents: {
      open: open.length,
      closedLast90Days,
      meanHoursToContain: meanHours(incidents, 'contained'),
      meanHoursToResolve: meanHours(incidents, 'closed'),
    },
  };
}

const CSV_COLUMNS = [
  'entityRef',
  'title',
  'kind',
  'owner',
  'system',
  'domain',
  'riskTier',
  'score',
  'grade',
  ...CONTROL_STATUSES,
  'reviewStatus',
  'nextReviewDue',
  'openIncidents',
] as const;

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Spreadsheets run cells that start like a formula; catalog titles are
  // user input, so neutralise them.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The report's entities as CSV, one row per entity after a header row. The
 * openIncidents cell is empty when the reader may read no incident.
 */
export function reportToCsv(report: SecurityReport): string {
  const rows = report.entities.map((entity: EntityPosture) => {
    const open =
      entity.openIncidents &&
      Object.values(entity.openIncidents).reduce((sum, n) => sum + n, 0);
    return [
      entity.entityRef,
      entity.title,
      entity.kind,
      entity.owner,
      entity.system,
      entity.domain,
      entity.riskTier,
      entity.score,
      entity.grade,
      ...CONTROL_STATUSES.map(status => entity.counts[status]),
      entity.review.status,
      entity.review.nextDueAt,
      open,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
