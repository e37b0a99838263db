/**
 * Shared types, the posture definition, permissions and the SecurityControl
 * kind for the Security Management plugins.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './kind/SecurityControlEntityV1alpha1';
export * from './kind/validateSecurityControl';
export * from './kind/selectors';
export * from './kind/inheritance';
export * from './kind/SecurityPolicyEntityV1alpha1';
export * from './kind/validateSecurityPolicy';
export * from './kind/SecurityRequirementEntityV1alpha1';
export * from './kind/validateSecurityRequirement';
export * from './permissions';
export * from './posture';
export * from './refs';
export * from './types';
export * from './api';
export * from './reviews';
export * from './postIncidentReviews';
export * from './reviewTriggers';
export * from './reports';
export * from './advisories';
export * from './controlsNotInEffect';
export * from './securityEvents';
export * from './alerts';
export * from './campaigns';
export * from './policies';
export * from './oscal';
export * from './frameworks';
export * from './history';
export * from './contract';
