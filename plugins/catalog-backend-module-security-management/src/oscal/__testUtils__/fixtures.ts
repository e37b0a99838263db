import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The fixture folder, with NIST's real OSCAL content. */
export const FIXTURES = path.join(__dirname, '..', '__fixtures__');

/** The SP 800-53 rev5 LOW baseline (resolved profile catalog). */
export const LOW_BASELINE = path.join(
  FIXTURES,
  'NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json',
);

/** NIST's sample catalog (nested groups, nested parameter in a choice). */
export const BASIC_CATALOG = path.join(FIXTURES, 'basic-catalog.json');

/** A fixture's text. */
export function fixtureText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** A fixture as a fresh object, safe to change. */
export function fixtureJson(file: string): any {
  return JSON.parse(fixtureText(file));
}

/** A fixture's file URL, as the import's config turns a path into. */
export function fixtureUrl(file: string): string {
  return pathToFileURL(file).toString();
}

/**
 * A catalog the size of the full SP 800-53 rev5 (about 1,200 controls and
 * enhancements): the LOW baseline's 18 families repeated `copies` times,
 * every control and enhancement given a new id and label in each copy.
 */
export function synthesizedFullCatalog(copies = 8): any {
  const low = fixtureJson(LOW_BASELINE);
  const groups = low.catalog.groups;
  const renamed = (control: any, copy: number): any => ({
    ...control,
    id: `${control.id}-c${copy}`,
    props: (control.props ?? []).map((prop: any) =>
      prop.name === 'label'
        ? { ...prop, value: `${prop.value}/${copy}` }
        : prop,
    ),
    controls: control.controls?.map((child: any) => renamed(child, copy)),
  });
  low.catalog.groups = Array.from({ length: copies }, (_, copy) =>
    groups.map((group: any) => ({
      ...group,
      id: `${group.id}-c${copy}`,
      controls: group.controls.map((control: any) => renamed(control, copy)),
    })),
  ).flat();
  return low;
}
