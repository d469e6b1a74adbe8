/**
 * Every vendor profile, in one list. Adding a profile: a file beside this one (citing its
 * public source), an entry here, a fixture under test/fixtures/profiles/<name>/ with a test,
 * and a section in docs/vendor-profiles.md.
 */
import { arborBiAttendance } from './arbor-bi-attendance.ts';
import { arborBiBehaviour } from './arbor-bi-behaviour.ts';
import { arborDetentions } from './arbor-detentions.ts';
import { arborInternalExclusions } from './arbor-internal-exclusions.ts';
import { bromcomAttendance } from './bromcom-attendance.ts';
import { bromcomBehaviour } from './bromcom-behaviour.ts';
import { classchartsActivity } from './classcharts-activity.ts';
import { classchartsAttendance } from './classcharts-attendance.ts';
import { classchartsDetentions } from './classcharts-detentions.ts';
import type { VendorProfile } from './profile.ts';
import { simsAttendance } from './sims-attendance.ts';
import { simsBehaviour } from './sims-behaviour.ts';
import { normaliseHeader } from '../contract.ts';

export type { VendorProfile } from './profile.ts';

export const PROFILES: readonly VendorProfile[] = [
  arborBiAttendance,
  arborBiBehaviour,
  arborDetentions,
  arborInternalExclusions,
  classchartsActivity,
  classchartsDetentions,
  classchartsAttendance,
  simsBehaviour,
  simsAttendance,
  bromcomBehaviour,
  bromcomAttendance,
];

/** The name canonical files are reported under (the contract itself, no vendor profile). */
export const CANONICAL = 'canonical';

export function profileByName(name: string): VendorProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Profiles named on the command line; an unknown name is an error that lists the known ones. */
export function profilesByName(names: readonly string[]): VendorProfile[] {
  return names.map((name) => {
    const profile = profileByName(name);
    if (!profile) throw new Error(`unknown profile "${name}": known profiles are ${PROFILES.map((p) => p.name).join(', ')}`);
    return profile;
  });
}

/** Whether a header row has every group of a profile's recognition headers. */
export function recognises(profile: VendorProfile, headers: readonly string[]): boolean {
  const present = new Set(headers.map(normaliseHeader));
  return profile.recognise.every((group) => group.some((h) => present.has(normaliseHeader(h))));
}
