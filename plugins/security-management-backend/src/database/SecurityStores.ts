import { DatabaseService } from '@backstage/backend-plugin-api';
import { ApplicabilityStore } from '../applicability/ApplicabilityStore';
import { CatalogProblemStore } from '../applicability/CatalogProblemStore';
import { DatabaseApplicabilityStore } from '../applicability/DatabaseApplicabilityStore';
import { DatabaseCatalogProblemStore } from '../applicability/DatabaseCatalogProblemStore';
import { DatabaseExceptionStore } from '../exceptions/DatabaseExceptionStore';
import { ExceptionStore } from '../exceptions/ExceptionStore';
import { DatabaseIncidentStore } from '../incidents/DatabaseIncidentStore';
import { IncidentStore } from '../incidents/IncidentStore';
import { DatabasePostureStore } from '../posture/DatabasePostureStore';
import { PostureStore } from '../posture/PostureStore';
import { DatabaseReviewStore } from '../reviews/DatabaseReviewStore';
import { ReviewStore } from '../reviews/ReviewStore';
import { DatabaseTestingStore } from '../testing/DatabaseTestingStore';
import { TestingStore } from '../testing/TestingStore';

/** The store of each sub-process, all on the plugin's one database client. */
export interface SecurityStores {
  applicability: ApplicabilityStore;
  catalogProblems: CatalogProblemStore;
  testing: TestingStore;
  posture: PostureStore;
  incidents: IncidentStore;
  reviews: ReviewStore;
  exceptions: ExceptionStore;
}

/**
 * Builds every store on one knex client of the plugin's database; the
 * migrations run once, before the first store is built, unless
 * `migrations.skip`.
 */
export async function createSecurityStores(options: {
  database: DatabaseService;
}): Promise<SecurityStores> {
  return {
    applicability: await DatabaseApplicabilityStore.create(options),
    catalogProblems: await DatabaseCatalogProblemStore.create(options),
    testing: await DatabaseTestingStore.create(options),
    posture: await DatabasePostureStore.create(options),
    incidents: await DatabaseIncidentStore.create(options),
    reviews: await DatabaseReviewStore.create(options),
    exceptions: await DatabaseExceptionStore.create(options),
  };
}
