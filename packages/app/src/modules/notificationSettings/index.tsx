import {
  createFrontendModule,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';

/**
 * A "Notifications" tab on the settings page, where each user turns
 * notifications on or off by origin and topic (e.g. Security Management's
 * "Security daily digest"). The notifications plugin provides the card but,
 * in the new frontend system, does not mount it anywhere.
 */
const notificationSettingsPage = SubPageBlueprint.make({
  name: 'notifications',
  params: {
    path: 'notifications',
    title: 'Notifications',
    loader: async () => {
      const [{ UserNotificationSettingsCard }, { Content }] = await Promise.all(
        [
          import('@backstage/plugin-notifications'),
          import('@backstage/core-components'),
        ],
      );
      return (
        <Content>
          <UserNotificationSettingsCard
            originNames={{
              'plugin:security-management': 'Security Management',
            }}
          />
        </Content>
      );
    },
  },
});

export const notificationSettingsModule = createFrontendModule({
  pluginId: 'user-settings',
  extensions: [notificationSettingsPage],
});
