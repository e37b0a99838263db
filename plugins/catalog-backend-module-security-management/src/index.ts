/**
 * The catalog module that adds the SecurityControl and SecurityPolicy kinds
 * and their relations.
 *
 * @packageDocumentation
 */
export { catalogModuleSecurityManagement as default } from './module';
export { SecurityControlProcessor } from './processor/SecurityControlProcessor';
export { SecurityPolicyProcessor } from './processor/SecurityPolicyProcessor';
export type { SecurityControlSource } from './processor/SecurityControlIndex';
