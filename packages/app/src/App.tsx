import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import securityManagementPlugin from '@open-itsm/plugin-security-management/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { notificationSettingsModule } from './modules/notificationSettings';

// Packages are also discovered from package.json (app.packages: all); the
// plugins listed here are the ones the app and its sidebar rely on.
export default createApp({
  features: [
    catalogPlugin,
    notificationsPlugin,
    securityManagementPlugin,
    navModule,
    homeModule,
    notificationSettingsModule,
  ],
});
