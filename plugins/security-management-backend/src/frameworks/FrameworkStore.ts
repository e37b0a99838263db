import {
  FrameworkImport,
  FrameworkMapping,
} from '@open-itsm/plugin-security-management-common';

/** A valid SecurityRequirement of the catalog, as stored. */
export interface StoredRequirement {
  /** Full, lower-case entity ref. */
  requirementRef: string;
  framework: string;
  frameworkTitle: string;
  controlId: string;
  label: string;
  title?: string;
  family?: string;
  parent?: string;
  /** The OSCAL import it came from, if any. */
  importId?: string;
}

/** What one requirement sync stored and removed. */
export interface RequirementSyncResult {
  requirementCount: number;
  frameworkCount: number;
  removedCount: number;
}

/** A framework with imported requirements. */
export interface ImportedFramework {
  framework: string;
  title: string;
  requirementCount: number;
}

/** A control of the library and its framework mappings. */
export interface ControlMappings {
  controlRef: string;
  title: string;
  frameworks: FrameworkMapping[];
}

/** The outcome of one run of an OSCAL import, as the catalog module reported it. */
export interface ImportRun {
  importId: string;
  framework: string;
  target: string;
  outcome: 'imported' | 'failed';
  /** When the run ended, in epoch milliseconds. */
  at: number;
  requirementCount?: number;
  message?: string;
}

/**
 * The framework requirements read from the catalog (a snapshot replaced by
 * each sync) and the state of the OSCAL imports.
 */
export interface FrameworkStore {
  /** Replaces the snapshot with these requirements, atomically. */
  replaceRequirements(options: {
    requirements: StoredRequirement[];
    now: Date;
  }): Promise<RequirementSyncResult>;
  /** The requirements of one framework. */
  listRequirements(framework: string): Promise<StoredRequirement[]>;
  /** The frameworks with imported requirements, by id. */
  listImportedFrameworks(): Promise<ImportedFramework[]>;
  /** Every control of the applicability snapshot with its mappings, by ref. */
  listControlMappings(): Promise<ControlMappings[]>;
  /**
   * Records an import run, unless a later run of the same import is
   * already recorded (events may arrive out of order). A failed run keeps
   * the last successful import's time and count.
   */
  recordImportRun(run: ImportRun): Promise<void>;
  /** Every import's last run, by id. */
  listImports(): Promise<FrameworkImport[]>;
}
