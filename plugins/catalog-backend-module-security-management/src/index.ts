/**
 * The catalog module that adds the SecurityControl kind and its relations.
 *
 * @packageDocumentation
 */
export { catalogModuleSecurityManagement as default } from './module';
export { SecurityControlProcessor } from './processor/SecurityControlProcessor';
export type { SecurityControlSource } from './processor/SecurityControlIndex';
