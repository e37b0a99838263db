import { createBackend } from '@backstage/backend-defaults';
import { searchModuleSecurityManagement } from '@open-itsm/plugin-security-management-backend';
import { securityDemoDataPlugin } from './demoData';
import { localFileReaderServiceFactory } from './localFileReader';
import { securityPermissionPolicyModule } from './permissionPolicy';
import { securityEventsIngressModule } from './securityEventsIngress';

const backend = createBackend();

// Example feeds and SBOMs are files in this repository (localFiles.allow).
backend.add(localFileReaderServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// The example app's policy: security managers and entity owners.
backend.add(securityPermissionPolicyModule);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Security controls, policies and incidents (incidents by the reader's
// permission) in search.
backend.add(searchModuleSecurityManagement);
// Registered actions (backend.actions.pluginSources) as MCP tools for AI
// assistants, at /api/mcp-actions/v1.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Events from other systems; scanners and SIEMs post security events to
// /api/events/http/security with the shared secret the module requires.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(securityEventsIngressModule);

backend.add(import('@open-itsm/plugin-security-management-backend'));
backend.add(
  import('@open-itsm/plugin-catalog-backend-module-security-management'),
);
backend.add(securityDemoDataPlugin);

backend.start();
