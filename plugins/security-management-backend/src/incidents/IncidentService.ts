import {
  Incident,
  IncidentInput,
  IncidentPatch,
} from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { controlsByRef, entitiesByRef } from '../applicability/lookups';
import { inputError, isFuture } from '../lib/inputProblems';
import { SecurityIncidentResource } from './incidentRules';
import { IncidentReviewChange, IncidentStore } from './IncidentStore';

/**
 * The rules an incident must satisfy beyond its shape: the entities and
 * controls it names exist and it was not reported in the future; and the
 * incident as the permission rules see it.
 */
export class IncidentService {
  readonly #applicability: ApplicabilityStore;
  readonly #incidents: IncidentStore;

  constructor(options: {
    applicability: ApplicabilityStore;
    incidents: IncidentStore;
  }) {
    this.#applicability = options.applicability;
    this.#incidents = options.incidents;
  }

  /**
   * An incident with the owners of the entities it affects, for the
   * permission framework to apply conditions to.
   */
  async getIncidentResource(
    id: string,
  ): Promise<SecurityIncidentResource | undefined> {
    const incident = await this.#incidents.getIncident({ id });
    if (!incident) return undefined;
    const entities = await entitiesByRef(
      this.#applicability,
      incident.affectedEntities,
    );
    const owners = [...entities.values()].flatMap(entity =>
      entity?.owner ? [entity.owner] : [],
    );
    return { ...incident, affectedOwners: [...new Set(owners)] };
  }

  /** Problems with the entities and controls an incident names. */
  async #incidentRefProblems(input: {
    affectedEntities?: string[];
    failedControls?: string[];
  }): Promise<string[]> {
    const problems: string[] = [];
    const affected = input.affectedEntities ?? [];
    const entities = await entitiesByRef(this.#applicability, affected);
    affected.forEach((ref, index) => {
      if (!entities.get(ref)) {
        problems.push(
          `affectedEntities[${index}]: unknown entity '${ref}'; it is not in the catalog or no security control applies to it`,
        );
      }
    });
    const failed = input.failedControls ?? [];
    const controls = await controlsByRef(this.#applicability, failed);
    failed.forEach((ref, index) => {
      if (!controls.has(ref)) {
        problems.push(`failedControls[${index}]: unknown control '${ref}'`);
      }
    });
    return problems;
  }

  async createIncident(options: {
    input: IncidentInput;
    actor: string;
    now: Date;
  }): Promise<Incident> {
    const { input, actor, now } = options;
    const problems = await this.#incidentRefProblems(input);
    if (input.reportedAt && isFuture(input.reportedAt, now)) {
      problems.push(
        `reportedAt: ${input.reportedAt} is more than 5 minutes in the future`,
      );
    }
    if (problems.length) throw inputError(problems);
    return this.#incidents.createIncident({
      input: {
        ...input,
        affectedEntities: [...new Set(input.affectedEntities)],
        failedControls: input.failedControls && [
          ...new Set(input.failedControls),
        ],
      },
      actor: { ref: actor },
      now,
    });
  }

  /** Records the post-incident review; the failed controls must exist. */
  async setIncidentReview(options: {
    id: string;
    review: IncidentReviewChange;
    version: number;
    actor: string;
    now: Date;
  }): Promise<Incident> {
    const { id, review, version, actor, now } = options;
    const problems = await this.#incidentRefProblems(review);
    if (problems.length) throw inputError(problems);
    return this.#incidents.setIncidentReview({
      id,
      review: {
        ...review,
        failedControls: review.failedControls && [
          ...new Set(review.failedControls),
        ],
      },
      version,
      actor: { ref: actor },
      now,
    });
  }

  async updateIncident(options: {
    id: string;
    patch: IncidentPatch;
    actor: string;
    now: Date;
  }): Promise<Incident> {
    const { id, patch, actor, now } = options;
    const problems = await this.#incidentRefProblems(patch);
    if (problems.length) throw inputError(problems);
    return this.#incidents.updateIncident({
      id,
      patch: {
        ...patch,
        affectedEntities: patch.affectedEntities && [
          ...new Set(patch.affectedEntities),
        ],
        failedControls: patch.failedControls && [
          ...new Set(patch.failedControls),
        ],
      },
      actor: { ref: actor },
      now,
    });
  }
}
