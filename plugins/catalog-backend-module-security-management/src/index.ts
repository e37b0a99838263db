/**
 * The catalog module that adds the SecurityControl, SecurityPolicy and
 * SecurityRequirement kinds, their relations and the OSCAL import.
 *
 * @packageDocumentation
 */
export { catalogModuleSecurityManagement as default } from './module';
export { SecurityControlProcessor } from './processor/SecurityControlProcessor';
export { SecurityPolicyProcessor } from './processor/SecurityPolicyProcessor';
export { SecurityRequirementProcessor } from './processor/SecurityRequirementProcessor';
export type { SecurityControlSource } from './processor/SecurityControlIndex';
