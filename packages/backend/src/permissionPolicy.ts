import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createSecurityIncidentConditionalDecision,
  readSecurityManagerGroups,
  securityIncidentConditions,
} from '@open-itsm/plugin-security-management-backend';
import {
  securityAdvisoryUpdatePermission,
  securityExceptionRequestPermission,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityPostureReadPermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** What every signed-in user may do in Security Management. */
const EVERYONE = [
  securityPostureReadPermission,
  // Owners act on the advisories of their services (acknowledge, mitigate,
  // declare not affected); every change is audited and kept in a history.
  securityAdvisoryUpdatePermission,
  securityTestRecordCreatePermission,
  securityIncidentCreatePermission,
  securityExceptionRequestPermission,
];

/**
 * The example app's policy. Members of a security manager group may do
 * everything in Security Management. Other users may read posture, record
 * tests, open incidents, request exceptions and act on advisory findings;
 * they may read and change
 * the incidents that affect an entity they or their groups own, or that
 * they reported. Reviews, exception decisions, the report, alerts, campaigns,
 * feeds and applicability refreshes are for managers only. Everything outside Security Management
 * is allowed: this is a demo app.
 *
 * Service principals (CI with a static token) never reach a policy; their
 * token's accessRestrictions decide.
 */
export class SecurityManagementPermissionPolicy implements PermissionPolicy {
  readonly #managerGroups: Set<string>;
  readonly #userInfo: UserInfoService;

  constructor(options: { managerGroups: string[]; userInfo: UserInfoService }) {
    this.#managerGroups = new Set(
      options.managerGroups.map(ref => ref.toLocaleLowerCase('en-US')),
    );
    this.#userInfo = options.userInfo;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('security-management.')) return ALLOW;
    if (!user) return DENY;

    const { userEntityRef, ownershipEntityRefs } =
      await this.#userInfo.getUserInfo(user.credentials);
    const isManager = ownershipEntityRefs.some(ref =>
      this.#managerGroups.has(ref.toLocaleLowerCase('en-US')),
    );
    if (isManager) return ALLOW;

    if (
      isPermission(permission, securityIncidentReadPermission) ||
      isPermission(permission, securityIncidentUpdatePermission)
    ) {
      return createSecurityIncidentConditionalDecision(permission, {
        anyOf: [
          securityIncidentConditions.affectsOwnedEntity({
            ownerRefs: ownershipEntityRefs,
          }),
          securityIncidentConditions.reportedBy({ userRefs: [userEntityRef] }),
        ],
      });
    }
    return EVERYONE.some(allowed => isPermission(permission, allowed))
      ? ALLOW
      : DENY;
  }
}

/**
 * Installs {@link SecurityManagementPermissionPolicy}, with the manager
 * groups of `securityManagement.managerGroups`.
 */
export const securityPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'security-management-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new SecurityManagementPermissionPolicy({
            managerGroups: readSecurityManagerGroups(config),
            userInfo,
          }),
        );
      },
    });
  },
});
