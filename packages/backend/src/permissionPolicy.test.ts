import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { readSecurityManagerGroups } from '@open-itsm/plugin-security-management-backend';
import {
  securityAdvisoryManagePermission,
  securityAdvisoryUpdatePermission,
  securityAlertManagePermission,
  securityApplicabilityRefreshPermission,
  securityCampaignManagePermission,
  securityExceptionDecidePermission,
  securityExceptionRequestPermission,
  securityIncidentCreatePermission,
  securityIncidentReadPermission,
  securityIncidentUpdatePermission,
  securityManagementPermissions,
  securityPostureReadPermission,
  securityReportReadPermission,
  securityReviewCreatePermission,
  securityTestRecordCreatePermission,
} from '@open-itsm/plugin-security-management-common';
import { SecurityManagementPermissionPolicy } from './permissionPolicy';

function userWith(userEntityRef: string, groups: string[]) {
  const ownershipEntityRefs = [userEntityRef, ...groups];
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef },
  } as BackstageCredentials;
  const user: PolicyQueryUser = {
    credentials,
    info: { userEntityRef, ownershipEntityRefs },
  };
  const userInfo = {
    getUserInfo: jest.fn(async () => ({ userEntityRef, ownershipEntityRefs })),
  };
  return { user, userInfo };
}

describe('SecurityManagementPermissionPolicy', () => {
  const managerGroups = ['group:default/security-team'];

  async function decide(permission: Permission, groups: string[]) {
    const { user, userInfo } = userWith('user:default/alice', groups);
    const policy = new SecurityManagementPermissionPolicy({
      managerGroups,
      userInfo,
    });
    return policy.handle({ permission }, user);
  }

  it('allows security managers everything', async () => {
    for (const permission of securityManagementPermissions) {
      await expect(
        decide(permission, ['group:default/Security-Team']),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('allows other users the everyday actions', async () => {
    for (const permission of [
      securityPostureReadPermission,
      securityTestRecordCreatePermission,
      securityIncidentCreatePermission,
      securityExceptionRequestPermission,
      securityAdvisoryUpdatePermission,
    ]) {
      await expect(
        decide(permission, ['group:default/team-a']),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('denies other users the manager actions', async () => {
    for (const permission of [
      securityReviewCreatePermission,
      securityExceptionDecidePermission,
      securityReportReadPermission,
      securityApplicabilityRefreshPermission,
      securityAlertManagePermission,
      securityAdvisoryManagePermission,
      securityCampaignManagePermission,
    ]) {
      await expect(
        decide(permission, ['group:default/team-a']),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
    }
  });

  it('limits other users to incidents on what they own or reported', async () => {
    for (const permission of [
      securityIncidentReadPermission,
      securityIncidentUpdatePermission,
    ]) {
      await expect(
        decide(permission, ['group:default/team-a']),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'security-management',
        resourceType: 'security-incident',
        conditions: {
          anyOf: [
            {
              rule: 'AFFECTS_OWNED_ENTITY',
              resourceType: 'security-incident',
              params: {
                ownerRefs: ['user:default/alice', 'group:default/team-a'],
              },
            },
            {
              rule: 'REPORTED_BY',
              resourceType: 'security-incident',
              params: { userRefs: ['user:default/alice'] },
            },
          ],
        },
      });
    }
  });

  it('denies security permissions without a user', async () => {
    const policy = new SecurityManagementPermissionPolicy({
      managerGroups,
      userInfo: { getUserInfo: jest.fn() },
    });
    await expect(
      policy.handle({ permission: securityPostureReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows everything outside Security Management', async () => {
    const other = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
    });
    await expect(decide(other, [])).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('reads the manager groups from config', () => {
    expect(readSecurityManagerGroups(new ConfigReader({}))).toEqual([
      'group:default/security-team',
    ]);
    expect(
      readSecurityManagerGroups(
        new ConfigReader({
          securityManagement: {
            managerGroups: ['platform-security', 'group:ops/SOC'],
          },
        }),
      ),
    ).toEqual(['group:default/platform-security', 'group:ops/soc']);
  });
});
