import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { ConditionTransformer } from '@backstage/plugin-permission-node';

/**
 * What a caller may do with a resource type: nothing, everything, or the
 * resources that match a filter.
 */
export type ResourceAccess<TQuery> =
  | { allowed: false }
  | { allowed: true; filter?: PermissionCriteria<TQuery> };

/**
 * Asks the permission framework and turns every answer but ALLOW (or a
 * conditional decision applied as a filter) into a denial. A failure to
 * reach a decision is a denial too, never an allow.
 */
export class SecurityAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #logger: LoggerService;

  constructor(options: {
    permissions: PermissionsService;
    logger: LoggerService;
  }) {
    this.#permissions = options.permissions;
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

  /**
   * The resources the caller may reach with each permission, in order;
   * conditions become store filters through `transformConditions`.
   */
  async resourceAccess<TQuery>(options: {
    permissions: ResourcePermission[];
    credentials: BackstageCredentials;
    transformConditions: ConditionTransformer<TQuery>;
  }): Promise<ResourceAccess<TQuery>[]> {
    const { permissions, credentials, transformConditions } = options;
    try {
      const decisions = await this.#permissions.authorizeConditional(
        permissions.map(permission => ({ permission })),
        { credentials },
      );
      return permissions.map((_, index): ResourceAccess<TQuery> => {
        const decision = decisions[index];
        if (decision?.result === AuthorizeResult.ALLOW) {
          return { allowed: true };
        }
        if (decision?.result === AuthorizeResult.CONDITIONAL) {
          return {
            allowed: true,
            filter: transformConditions(decision.conditions),
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

  /** Like resourceAccess for one permission, throwing when denied outright. */
  async requireResourceAccess<TQuery>(options: {
    permission: ResourcePermission;
    credentials: BackstageCredentials;
    transformConditions: ConditionTransformer<TQuery>;
  }): Promise<{ filter?: PermissionCriteria<TQuery> }> {
    const { permission, ...rest } = options;
    const [access] = await this.resourceAccess({
      ...rest,
      permissions: [permission],
    });
    if (!access.allowed) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
    return { filter: access.filter };
  }
}
