/**
 * The synthetic demo school (or trust of schools): writes the ten canonical CSV exports
 * and `demo-manifest.json` with the planted truths tests and demos can check against.
 * See docs/demo-school.md for the model and its calibration.
 *
 * Same options → byte-identical files: all randomness is seeded (random.ts), dates are
 * plain calendar days (dates.ts), and nothing reads the clock or the time zone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { academicYearCalendar } from './calendar.ts';
import { PARAMS } from './params.ts';
import { Rng } from './random.ts';
import { type SchoolTruths, simulateSchool } from './school.ts';
import { writeTables } from './write-csv.ts';

export interface DemoOptions {
  outDir: string;
  /** Pupils on roll per school at the start of each year (a fifth in each of Years 7–11). Default 1,200. */
  pupils?: number;
  /** Academic years generated, ending with `lastAcademicYear`. Default 1. */
  years?: number;
  /** Schools; with more than one, each gets a subfolder named by its id (DEMO1, DEMO2, …). Default 1. */
  schools?: number;
  seed?: number;
  /** Start year of the last academic year generated: 2025 means 2025/26. Default 2025. */
  lastAcademicYear?: number;
}

export interface DemoManifest {
  generator: 'pastoral-pulse demo school';
  seed: number;
  options: { pupils: number; years: number; schools: number; lastAcademicYear: number };
  academicYears: string[];
  schools: { schoolId: string; dir: string; files: Record<string, number>; truths: SchoolTruths }[];
  plantedInterventionEffect: {
    metric: 'negative events per pupil per school week';
    relativeReduction: number;
    description: string;
  };
  plantedAttendanceEffect: {
    metric: 'hazard of starting an absence run or missing a single session';
    relativeReduction: number;
    description: string;
  };
  interventionFlagRule: { minEvents: number; windowSchoolDays: number; baselineSchoolDays: number; rise: number; monitorSchoolDays: number; description: string };
  calibrationTargets: Record<string, number>;
}

export async function generateDemo(opts: DemoOptions): Promise<DemoManifest> {
  const pupils = opts.pupils ?? 1200;
  const years = opts.years ?? 1;
  const schoolCount = opts.schools ?? 1;
  const seed = opts.seed ?? 1;
  const lastAcademicYear = opts.lastAcademicYear ?? 2025;
  if (!Number.isInteger(pupils) || pupils < 50) throw new Error('pupils must be a whole number, at least 50');
  if (!Number.isInteger(years) || years < 1 || years > 10) throw new Error('years must be 1–10');
  if (!Number.isInteger(schoolCount) || schoolCount < 1 || schoolCount > 50) throw new Error('schools must be 1–50');

  const calendars = Array.from({ length: years }, (_, k) => academicYearCalendar(lastAcademicYear - years + 1 + k));
  const root = new Rng(seed);
  await mkdir(opts.outDir, { recursive: true });

  const schools: DemoManifest['schools'] = [];
  for (let s = 1; s <= schoolCount; s++) {
    const schoolId = `DEMO${s}`;
    const rng = root.derive('school', s);
    // The first school is the calibrated one; the others of a trust differ a little in behaviour.
    const behaviourFactor = s === 1 ? 1 : Math.exp(rng.derive('factor').normal(0, 0.25));
    const result = simulateSchool(rng, { schoolId, perYear: pupils, calendars, behaviourFactor });
    const dir = schoolCount === 1 ? '.' : schoolId;
    const files = await writeTables(join(opts.outDir, dir), result.tables);
    schools.push({ schoolId, dir, files, truths: result.truths });
  }

  const I = PARAMS.interventions;
  const manifest: DemoManifest = {
    generator: 'pastoral-pulse demo school',
    seed,
    options: { pupils, years, schools: schoolCount, lastAcademicYear },
    academicYears: calendars.map((c) => c.label),
    schools,
    plantedInterventionEffect: {
      metric: 'negative events per pupil per school week',
      relativeReduction: I.behaviourEffect,
      description:
        `From the start_date of a pupil's first behaviour-focus intervention onwards (while active and after), ` +
        `the Poisson rate of that pupil's negative events is multiplied by ${1 - I.behaviourEffect}. ` +
        `Pupils are chosen at random, for lack of places, from those flagged by interventionFlagRule in a weekly review; ` +
        `flagged pupils not chosen are monitored and not re-flagged for ${I.monitorDays} school days (flagEpisodes with treated=false), ` +
        `the matched comparison group for a difference-in-differences. A naive before/after overstates the effect (regression to the mean).`,
    },
    plantedAttendanceEffect: {
      metric: 'hazard of starting an absence run or missing a single session',
      relativeReduction: I.attendanceEffect,
      description:
        `From the start_date of a pupil's first attendance-focus intervention onwards, the daily hazards of starting an absence run ` +
        `and of missing a single session are multiplied by ${1 - I.attendanceEffect} (planned holidays, religious observance and ` +
        `suspensions are unaffected). Pupils are flagged below 90 % attendance over the last 30 school days and the year so far.`,
    },
    interventionFlagRule: {
      minEvents: I.flagMinEvents,
      windowSchoolDays: I.flagWindow,
      baselineSchoolDays: I.flagBaseline,
      rise: I.flagRise,
      monitorSchoolDays: I.monitorDays,
      description:
        `On the last school day of each week: negative events in the last ${I.flagWindow} school days (including that day) ≥ ${I.flagMinEvents}, ` +
        `and ≥ ${I.flagRise} × (events in the ${I.flagBaseline} school days before those) × ${I.flagWindow}/${I.flagBaseline}; ` +
        `pupil on roll for the whole 30 days, not suspended, not already in or within 100 school days of a behaviour intervention.`,
    },
    calibrationTargets: {
      overallAbsence: 0.089,
      authorisedAbsence: 0.054,
      unauthorisedAbsence: 0.035,
      persistentAbsence: 0.265,
      severeAbsence: 0.02,
      suspensionsPer100: 22.6,
      permanentExclusionsPer100: 0.2,
      positiveToNegative: 2.5,
    },
  };
  await writeFile(join(opts.outDir, 'demo-manifest.json'), JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  return manifest;
}
