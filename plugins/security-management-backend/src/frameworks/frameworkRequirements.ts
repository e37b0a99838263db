import {
  FrameworkSource,
  FrameworkWarning,
  requirementRefKey,
} from '@open-itsm/plugin-security-management-common';
import { ControlMappings, StoredRequirement } from './FrameworkStore';

/*
 * Which requirements a framework has, and which controls satisfy each: the
 * imported requirements matched to the controls' mappings by id or label
 * (`requirementRefKey`), or, for a framework no import brings, one
 * requirement per ref the mappings name.
 */

/** Titles of frameworks the example library maps, for frameworks not imported. */
const KNOWN_TITLES: Record<string, string> = {
  'nist-sp-800-53-rev5': 'NIST SP 800-53 Rev. 5',
  'iso-27001-2022': 'ISO/IEC 27001:2022 Annex A',
  'soc2-2017': 'SOC 2 Trust Services Criteria (2017)',
};

/** A control that satisfies a requirement. */
export interface SatisfyingControl {
  controlRef: string;
  title: string;
}

/** A requirement of a framework and the controls that satisfy it. */
export interface FrameworkRequirement {
  requirementRef?: string;
  controlId?: string;
  label: string;
  title?: string;
  family?: string;
  parent?: string;
  controls: SatisfyingControl[];
}

/** A framework's requirements, matched to the control library. */
export interface MatchedFramework {
  framework: string;
  title: string;
  source: FrameworkSource;
  requirements: FrameworkRequirement[];
  warnings: FrameworkWarning[];
}

const naturally = (a: string, b: string) =>
  a.localeCompare(b, 'en', { numeric: true });

/** The title of a framework that no import brings. */
export function mappedFrameworkTitle(framework: string): string {
  return KNOWN_TITLES[framework] ?? framework;
}

/**
 * A framework's requirements with the controls that satisfy each, in the
 * framework's order (ids compared naturally: `ac-2`, `ac-2.1`, `ac-10`), and
 * a warning for every mapping to an imported framework that names none of
 * its requirements. Undefined when the framework has neither imported
 * requirements nor a mapping.
 */
export function matchFramework(options: {
  framework: string;
  requirements: StoredRequirement[];
  controls: ControlMappings[];
}): MatchedFramework | undefined {
  const { framework, requirements, controls } = options;
  const mappings = controls.flatMap(control =>
    control.frameworks
      .filter(mapping => mapping.framework === framework)
      .map(mapping => ({ control, ref: mapping.ref })),
  );

  if (requirements.length) {
    const byKey = new Map<string, FrameworkRequirement>();
    const matched = requirements.map((stored): FrameworkRequirement => {
      const requirement: FrameworkRequirement = {
        requirementRef: stored.requirementRef,
        controlId: stored.controlId,
        label: stored.label,
        title: stored.title,
        family: stored.family,
        parent: stored.parent,
        controls: [],
      };
      byKey.set(requirementRefKey(stored.controlId), requirement);
      byKey.set(requirementRefKey(stored.label), requirement);
      return requirement;
    });
    const title = requirements[0].frameworkTitle;
    const warnings: FrameworkWarning[] = [];
    for (const { control, ref } of mappings) {
      const requirement = byKey.get(requirementRefKey(ref));
      if (!requirement) {
        warnings.push({
          controlRef: control.controlRef,
          controlTitle: control.title,
          ref,
          message: `${control.title} maps to ${framework} '${ref}', which names no requirement of the imported ${title}`,
        });
      } else if (
        !requirement.controls.some(c => c.controlRef === control.controlRef)
      ) {
        requirement.controls.push({
          controlRef: control.controlRef,
          title: control.title,
        });
      }
    }
    matched.sort((a, b) => naturally(a.controlId!, b.controlId!));
    return {
      framework,
      title,
      source: 'imported',
      requirements: matched,
      warnings,
    };
  }

  if (!mappings.length) return undefined;
  const byKey = new Map<string, FrameworkRequirement & { key: string }>();
  for (const { control, ref } of mappings) {
    const key = requirementRefKey(ref);
    const requirement = byKey.get(key) ?? { key, label: ref, controls: [] };
    byKey.set(key, requirement);
    if (!requirement.controls.some(c => c.controlRef === control.controlRef)) {
      requirement.controls.push({
        controlRef: control.controlRef,
        title: control.title,
      });
    }
  }
  return {
    framework,
    title: mappedFrameworkTitle(framework),
    source: 'mapped',
    requirements: [...byKey.values()]
      .sort((a, b) => naturally(a.key, b.key))
      .map(({ key: _key, ...requirement }) => requirement),
    warnings: [],
  };
}
