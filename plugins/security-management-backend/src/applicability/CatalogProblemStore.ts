/**
 * One error or conflict the catalog reported about an entity it could not
 * store. An error is kept per entity ref (the latest report wins); a
 * conflict per entity ref and losing location.
 */
export interface CatalogProblem {
  type: 'error' | 'conflict';
  /** The entity ref as the catalog names it. */
  entityRef: string;
  /** Title or name, when the report carries the entity. */
  name?: string;
  /** Where the YAML is: the entity's location, or the losing location. */
  location?: string;
  originLocation?: string;
  /** For a conflict: the location of the entity the catalog kept. */
  conflictingLocation?: string;
  /** The messages of the report, outermost error first. */
  messages: string[];
  /** When the catalog last reported it. */
  reportedAt: Date;
}

/** The catalog's error and conflict reports, as this plugin recorded them. */
export interface CatalogProblemStore {
  /** Records a report, replacing an earlier one of the same problem. */
  recordCatalogProblem(problem: CatalogProblem): Promise<void>;
  /** Every recorded problem, oldest report first. */
  listCatalogProblems(): Promise<CatalogProblem[]>;
  /**
   * Forgets errors last reported before `errorsReportedBefore` (the catalog
   * reports a failing entity on every processing attempt, so an error not
   * reported for a while is gone) and the given conflicts, which the
   * catalog never reports as ended. Returns how many it forgot.
   */
  forgetCatalogProblems(options: {
    errorsReportedBefore: Date;
    conflicts?: Array<{ entityRef: string; location?: string }>;
  }): Promise<number>;
}
