import {
  EntityPosture,
  Page,
  PostureListQuery,
  PostureRollup,
  RollupDimension,
} from '@open-itsm/plugin-security-management-common';

/**
 * Posture as the database computes it from the applicability snapshot,
 * latest tests, exceptions, reviews and open incidents.
 */
export interface PostureStore {
  getEntityPosture(options: {
    entityRef: string;
    now: Date;
    reviewDueSoon: string;
  }): Promise<EntityPosture | undefined>;
  getPostureBatch(options: {
    entityRefs: string[];
    now: Date;
    reviewDueSoon: string;
  }): Promise<EntityPosture[]>;
  listPosture(options: {
    query: PostureListQuery;
    now: Date;
    reviewDueSoon: string;
  }): Promise<Page<EntityPosture>>;
  rollup(options: {
    by: RollupDimension;
    now: Date;
    reviewDueSoon: string;
  }): Promise<PostureRollup>;
}
