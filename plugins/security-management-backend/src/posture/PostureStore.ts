import {
  EntityPosture,
  Page,
  PostureListQuery,
  PostureRollup,
  RollupDimension,
} from '@open-itsm/plugin-security-management-common';
import { IncidentReadAccess } from '../incidents/incidentAccess';

/**
 * Posture as the database computes it from the applicability snapshot,
 * latest tests, exceptions and reviews, with the open incidents the caller
 * may read beside it: every method takes the caller's incident read access,
 * counts only what it lets through, and leaves the counts out when it
 * allows nothing.
 */
export interface PostureStore {
  getEntityPosture(options: {
    entityRef: string;
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<EntityPosture | undefined>;
  getPostureBatch(options: {
    entityRefs: string[];
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<EntityPosture[]>;
  listPosture(options: {
    query: PostureListQuery;
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<Page<EntityPosture>>;
  rollup(options: {
    by: RollupDimension;
    now: Date;
    reviewDueSoon: string;
    incidentAccess: IncidentReadAccess;
  }): Promise<PostureRollup>;
}
