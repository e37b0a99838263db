import { ConditionTransformer } from '@backstage/plugin-permission-node';
import { IncidentRuleQuery } from '../incidents/IncidentStore';
import { CapabilityOptions } from '../lib/capability';
import { readSecurityManagementSettings } from '../lib/config';
import { DatabaseReportStore } from './DatabaseReportStore';
import { PoliciesDueForReviewSource, ReportBuilder } from './ReportBuilder';
import { registerReportRoutes } from './routes';
import { TestReportBuilder } from './TestReportBuilder';

/**
 * The IT security report and the test reports. `policies` is where the
 * report reads the security policies due for review; without it the report
 * leaves them out.
 */
export async function setupReports(
  options: CapabilityOptions,
  extra: {
    transformConditions: ConditionTransformer<IncidentRuleQuery>;
    policies?: PoliciesDueForReviewSource;
  },
): Promise<void> {
  const { router, context, database, stores, config } = options;
  const store = await DatabaseReportStore.create({ database });
  registerReportRoutes(router, {
    context,
    reports: new ReportBuilder({
      applicability: stores.applicability,
      posture: stores.posture,
      store,
      reviewDueSoon: readSecurityManagementSettings(config).reviewDueSoon,
      policies: extra.policies,
    }),
    testReports: new TestReportBuilder({
      applicability: stores.applicability,
      store,
    }),
    transformConditions: extra.transformConditions,
  });
}
