import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import { SecurityIncidentPermission } from '@open-itsm/plugin-security-management-common';
import { IncidentFilter, IncidentRuleQuery } from '../database/SecurityStore';

/**
 * What a caller may do with incidents: nothing, everything, or the incidents
 * that match a filter.
 */
export type IncidentAccess =
  | { allowed: false }
  | { allowed: true; filter?: IncidentFilter };

/**
 * Asks the permission framework and turns every answer but ALLOW (or a
 * conditional decision applied as a filter) into a denial. A failure to
 * reach a decision is a denial too, never an allow.
 */
export class SecurityAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #transformIncidentConditions: ConditionTransformer<IncidentRuleQuery>;
  readonly #logger: LoggerService;

  constructor(options: {
    permissions: PermissionsService;
    transformIncidentConditions: ConditionTransformer<IncidentRuleQuery>;
    logger: LoggerService;
  }) {
    this.#permissions = options.permissions;
    this.#transformIncidentConditions = options.transformIncidentConditions;
    this.#logger = options.logger;
  }

  /** Throws NotAllowedError unless the permission is granted. */
  async require(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<void> {
    let result: AuthorizeResult | undefined;
    try {
      const [decision] = await this.#permissions.authorize([{ permission }], {
        credentials,
      });
      result = decision?.result;
    } catch (error) {
      this.#logger.warn(
        `Permission check for ${permission.name} failed; denying`,
        error instanceof Error ? error : undefined,
      );
    }
    if (result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
  }

  /** The incidents the caller may reach with each permission, in order. */
  async incidentAccess(
    permissions: SecurityIncidentPermission[],
    credentials: BackstageCredentials,
  ): Promise<IncidentAccess[]> {
    try {
      const decisions = await this.#permissions.authorizeConditional(
        permissions.map(permission => ({ permission })),
        { credentials },
      );
      return permissions.map((_, index): IncidentAccess => {
        const decision = decisions[index];
        if (decision?.result === AuthorizeResult.ALLOW) {
          return { allowed: true };
        }
        if (decision?.result === AuthorizeResult.CONDITIONAL) {
          return {
            allowed: true,
            filter: this.#transformIncidentConditions(decision.conditions),
          };
        }
        return { allowed: false };
      });
    } catch (error) {
      this.#logger.warn(
        `Permission check for ${permissions
          .map(p => p.name)
          .join(', ')} failed; denying`,
        error instanceof Error ? error : undefined,
      );
      return permissions.map(() => ({ allowed: false }));
    }
  }

  /** Like incidentAccess for one permission, throwing when denied outright. */
  async requireIncidentAccess(
    permission: SecurityIncidentPermission,
    credentials: BackstageCredentials,
  ): Promise<{ filter?: IncidentFilter }> {
    const [access] = await this.incidentAccess([permission], credentials);
    if (!access.allowed) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
    return { filter: access.filter };
  }
}
