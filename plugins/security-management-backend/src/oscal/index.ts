import { readSecurityManagementSettings } from '../lib/config';
import { CapabilityOptions } from '../lib/capability';
import { OscalExporter } from './OscalExporter';
import { registerOscalRoutes } from './routes';

/**
 * OSCAL in and out and the Statement of Applicability: exports per service, framework requirements and their coverage.
 */
export async function setupOscal(options: CapabilityOptions): Promise<void> {
  const { router, context, stores, catalog, logger, config } = options;
  const exporter = new OscalExporter({
    stores,
    catalog,
    logger,
    reviewDueSoon: readSecurityManagementSettings(config).reviewDueSoon,
    baseUrl: config.getOptionalString('backend.baseUrl'),
  });
  registerOscalRoutes(router, { context, exporter });
}
