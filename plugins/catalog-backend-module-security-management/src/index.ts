/***/
/**
 * The security-management backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModuleSecurityManagement as default } from './module';
