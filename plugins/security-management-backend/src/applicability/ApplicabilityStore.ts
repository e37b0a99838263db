import {
  ApplicabilityRefreshResult,
  ControlCoverage,
  ControlListItem,
  ControlSummary,
} from '@open-itsm/plugin-security-management-common';

/**
 * A catalog entity as the store keeps it: enough to compute and roll up
 * posture without reading the catalog at request time.
 */
export interface StoredEntity {
  entityRef: string;
  kind: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  riskTier: number;
  /** Refs of the SecurityControls that apply (from catalog relations). */
  controlRefs: string[];
  /**
   * The controls among `controlRefs` that are inherited, each with the
   * entity it is inherited from, whose tests and exceptions give its status.
   */
  inheritedFrom?: Record<string, string>;
}

/**
 * The applicability snapshot read from the catalog: the controls, the
 * entities and which control applies to which entity.
 */
export interface ApplicabilityStore {
  /** Replace the applicability snapshot read from the catalog, atomically. */
  replaceCatalogSnapshot(options: {
    controls: ControlSummary[];
    entities: StoredEntity[];
    now: Date;
  }): Promise<ApplicabilityRefreshResult>;

  listControls(): Promise<ControlListItem[]>;
  getControlCoverage(options: {
    controlRef: string;
    now: Date;
  }): Promise<ControlCoverage | undefined>;
  /** The controls among the refs, without posture counts. */
  getControls(controlRefs: string[]): Promise<ControlSummary[]>;
  getEntity(entityRef: string): Promise<StoredEntity | undefined>;
  /** The entities still in the catalog among the refs, in two queries. */
  getEntities(entityRefs: string[]): Promise<StoredEntity[]>;
}
