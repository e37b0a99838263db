import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ControlPosture,
  ControlStatus,
  ControlStatusCounts,
  CONTROL_STATUSES,
  CoverageRequirement,
  emptyControlCounts,
  FrameworkCoverage,
  FrameworkList,
  REQUIREMENT_COVERAGE_STATUSES,
  RequirementCoverageStatus,
  SoaControl,
  SoaRequirement,
  StatementOfApplicability,
  worstControlStatus,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { PostureStore } from '../posture/PostureStore';
import { FrameworkStore } from './FrameworkStore';
import {
  FrameworkRequirement,
  mappedFrameworkTitle,
  matchFramework,
  MatchedFramework,
} from './frameworkRequirements';

function sumCounts(counts: ControlStatusCounts[]): ControlStatusCounts {
  const sum = emptyControlCounts();
  for (const each of counts) {
    for (const status of CONTROL_STATUSES) sum[status] += each[status];
  }
  return sum;
}

function requirementFields(requirement: FrameworkRequirement) {
  const { controls: _controls, ...fields } = requirement;
  return fields;
}

/** Why a requirement is not applicable to an entity. */
function notApplicableBecause(requirement: FrameworkRequirement): string {
  if (!requirement.controls.length) {
    return 'No control in the library satisfies this requirement.';
  }
  return `No control that satisfies it applies to this entity (it is satisfied by ${requirement.controls
    .map(control => control.title)
    .join(', ')} where those apply).`;
}

/** The exceptions of an applicable requirement all of whose controls are excepted. */
function acceptedRisk(controls: SoaControl[]): string | undefined {
  const applying = controls.filter(control => control.applies);
  if (!applying.every(control => control.status === 'excepted')) {
    return undefined;
  }
  return `Risk accepted: ${applying
    .map(
      control =>
        `${control.title}: ${
          control.exception?.justification ?? 'approved exception'
        }${
          control.exception
            ? ` (until ${control.exception.expiresAt.slice(0, 10)})`
            : ''
        }`,
    )
    .join('; ')}`;
}

/**
 * Frameworks, Statements of Applicability and coverage, computed from the
 * stored requirements, the control library and posture: the statuses are
 * those of the posture definition, read as the Security tab reads them.
 */
export class FrameworkService {
  readonly #store: FrameworkStore;
  readonly #applicability: ApplicabilityStore;
  readonly #posture: PostureStore;
  readonly #catalog: Pick<CatalogService, 'getEntityByRef'>;
  readonly #reviewDueSoon: string;
  readonly #logger: LoggerService;

  constructor(options: {
    store: FrameworkStore;
    applicability: ApplicabilityStore;
    posture: PostureStore;
    catalog: Pick<CatalogService, 'getEntityByRef'>;
    reviewDueSoon: string;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#applicability = options.applicability;
    this.#posture = options.posture;
    this.#catalog = options.catalog;
    this.#reviewDueSoon = options.reviewDueSoon;
    this.#logger = options.logger;
  }

  /** The imported frameworks, then those only the controls map to. */
  async listFrameworks(): Promise<FrameworkList> {
    const [imported, controls] = await Promise.all([
      this.#store.listImportedFrameworks(),
      this.#store.listControlMappings(),
    ]);
    const mapped = new Map<
      string,
      { controls: Set<string>; refs: Set<string> }
    >();
    for (const control of controls) {
      for (const mapping of control.frameworks) {
        const entry = mapped.get(mapping.framework) ?? {
          controls: new Set(),
          refs: new Set(),
        };
        entry.controls.add(control.controlRef);
        entry.refs.add(mapping.ref.toLocaleLowerCase('en-US'));
        mapped.set(mapping.framework, entry);
      }
    }
    const importedIds = new Set(imported.map(item => item.framework));
    return {
      items: [
        ...imported.map(item => ({
          framework: item.framework,
          title: item.title,
          source: 'imported' as const,
          requirementCount: item.requirementCount,
          controlCount: mapped.get(item.framework)?.controls.size ?? 0,
        })),
        ...[...mapped.entries()]
          .filter(([framework]) => !importedIds.has(framework))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([framework, entry]) => ({
            framework,
            title: mappedFrameworkTitle(framework),
            source: 'mapped' as const,
            requirementCount: entry.refs.size,
            controlCount: entry.controls.size,
          })),
      ],
    };
  }

  async #matched(framework: string): Promise<MatchedFramework> {
    const [requirements, controls] = await Promise.all([
      this.#store.listRequirements(framework),
      this.#store.listControlMappings(),
    ]);
    const matched = matchFramework({ framework, requirements, controls });
    if (!matched) {
      throw new NotFoundError(
        `No requirement of framework '${framework}' is known: no OSCAL import brings it and no control maps to it`,
      );
    }
    return matched;
  }

  /**
   * An entity's posture controls by ref; an entity no control applies to
   * has none, if the caller may see it in the catalog.
   */
  async #entityControls(
    entityRef: string,
    credentials: BackstageCredentials,
    now: Date,
  ): Promise<{ title?: string; controls: Map<string, ControlPosture> }> {
    const posture = await this.#posture.getEntityPosture({
      entityRef,
      now,
      reviewDueSoon: this.#reviewDueSoon,
      // The statement carries no incident figures.
      incidentAccess: { allowed: false },
    });
    if (posture) {
      return {
        title: posture.title,
        controls: new Map(
          (posture.controls ?? []).map(control => [
            control.control.ref,
            control,
          ]),
        ),
      };
    }
    let entity;
    try {
      entity = await this.#catalog.getEntityByRef(entityRef, { credentials });
    } catch (error) {
      this.#logger.warn(
        `Statement of Applicability of ${entityRef}: the catalog could not be read`,
        error instanceof Error ? error : undefined,
      );
    }
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} is not in the catalog`);
    }
    return { title: entity.metadata.title, controls: new Map() };
  }

  /** The Statement of Applicability of an entity for a framework. */
  async statementOfApplicability(options: {
    entityRef: string;
    framework: string;
    credentials: BackstageCredentials;
    now: Date;
  }): Promise<StatementOfApplicability> {
    const { entityRef, framework, credentials, now } = options;
    const matched = await this.#matched(framework);
    const entity = await this.#entityControls(entityRef, credentials, now);
    const byStatus = emptyControlCounts();
    const requirements = matched.requirements.map(
      (requirement): SoaRequirement => {
        const controls = requirement.controls.map((control): SoaControl => {
          const posture = entity.controls.get(control.controlRef);
          return posture
            ? {
                controlRef: control.controlRef,
                title: control.title,
                applies: true,
                status: posture.status,
                lastResult: posture.lastResult,
                lastTestedAt: posture.lastTestedAt,
                evidenceUrl: posture.evidenceUrl,
                exception: posture.exception,
              }
            : {
                controlRef: control.controlRef,
                title: control.title,
                applies: false,
              };
        });
        const status = worstControlStatus(
          controls.flatMap(control => (control.status ? [control.status] : [])),
        );
        if (status) byStatus[status]++;
        return {
          ...requirementFields(requirement),
          applicable: status !== undefined,
          status,
          justification: status
            ? acceptedRisk(controls)
            : notApplicableBecause(requirement),
          controls,
        };
      },
    );
    const applicableCount = requirements.filter(r => r.applicable).length;
    return {
      entityRef,
      entityTitle: entity.title,
      framework,
      frameworkTitle: matched.title,
      source: matched.source,
      generatedAt: now.toISOString(),
      summary: {
        requirementCount: requirements.length,
        applicableCount,
        notApplicableCount: requirements.length - applicableCount,
        byStatus,
      },
      requirements,
      warnings: matched.warnings.filter(warning =>
        entity.controls.has(warning.controlRef),
      ),
    };
  }

  /** The organisation's coverage of a framework. */
  async coverage(options: {
    framework: string;
    now: Date;
  }): Promise<FrameworkCoverage> {
    const { framework, now } = options;
    // The framework first: side by side, an unknown framework's 404 went out
    // while the library's query (every pair's status) was still running.
    const matched = await this.#matched(framework);
    const library = await this.#applicability.listControls();
    const controlCounts = new Map(
      library.map(control => [control.ref, control]),
    );
    const byStatus = Object.fromEntries(
      REQUIREMENT_COVERAGE_STATUSES.map(status => [status, 0]),
    ) as Record<RequirementCoverageStatus, number>;
    const requirements = matched.requirements.map(
      (requirement): CoverageRequirement => {
        const controls = requirement.controls.map(control => {
          const stored = controlCounts.get(control.controlRef);
          return {
            controlRef: control.controlRef,
            title: control.title,
            applicableCount: stored?.applicableCount ?? 0,
            counts: stored?.counts ?? emptyControlCounts(),
          };
        });
        const counts = sumCounts(controls.map(control => control.counts));
        const present = CONTROL_STATUSES.filter(
          (status: ControlStatus) => counts[status] > 0,
        );
        let status: RequirementCoverageStatus;
        if (!controls.length) status = 'uncovered';
        else status = worstControlStatus(present) ?? 'not-applied';
        byStatus[status]++;
        return {
          ...requirementFields(requirement),
          covered: controls.length > 0,
          status,
          applicableCount: controls.reduce((n, c) => n + c.applicableCount, 0),
          counts,
          controls,
        };
      },
    );
    const coveredCount = requirements.filter(r => r.covered).length;
    return {
      framework,
      frameworkTitle: matched.title,
      source: matched.source,
      generatedAt: now.toISOString(),
      summary: {
        requirementCount: requirements.length,
        coveredCount,
        uncoveredCount: requirements.length - coveredCount,
        byStatus,
      },
      requirements,
      warnings: matched.warnings,
    };
  }
}
