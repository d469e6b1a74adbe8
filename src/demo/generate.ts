/**
 * The synthetic demo school (or trust of schools): writes the ten canonical CSV exports
 * and `demo-manifest.json` with the planted truths tests and demos can check against.
 * See docs/demo-school.md for the model and its calibration.
 *
 * Same options → byte-identical files: all randomness is seeded (random.ts), dates are
 * plain calendar days (dates.ts), and nothing reads the clock or the time zone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { academicYearCalendar } from './calendar.ts';
import { generateSchool, type GeneratedSchool, type SchoolJob } from './generate-school.ts';
import { PARAMS } from './params.ts';
import type { SchoolTruths } from './school.ts';

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
  /**
   * Schools generated at once, each in a worker thread (schools are independent: each draws
   * from its own seeded stream, so the bytes do not depend on this). Default: the machine's
   * available parallelism, at most the number of schools, from PARALLEL_FROM_PUPIL_YEARS
   * pupil-years up; below that, or with 1, schools are generated in this thread.
   */
  workers?: number;
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

/** Pupil-years (pupils × years × schools) from which schools are generated in parallel by default. */
export const PARALLEL_FROM_PUPIL_YEARS = 20_000;

/**
 * Generates the schools in `workers` worker threads, handing each the next school as it
 * finishes one; results come back in school order whatever order they finish in.
 */
async function inWorkers(jobs: readonly SchoolJob[], workers: number): Promise<GeneratedSchool[]> {
  const results: GeneratedSchool[] = new Array(jobs.length);
  let next = 0;
  const run = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./school-worker.mjs', import.meta.url));
      const give = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage({ index: next, job: jobs[next] });
        next++;
      };
      worker.on('message', (message: { index: number; result?: GeneratedSchool; error?: string }) => {
        if (message.error !== undefined) {
          reject(new Error(`demo school ${jobs[message.index].school}: ${message.error}`));
          void worker.terminate();
          return;
        }
        results[message.index] = message.result as GeneratedSchool;
        give();
      });
      worker.on('error', reject);
      give();
    });
  await Promise.all(Array.from({ length: workers }, run));
  return results;
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
  await mkdir(opts.outDir, { recursive: true });

  const jobs: SchoolJob[] = Array.from({ length: schoolCount }, (_, k) => ({
    outDir: opts.outDir,
    seed,
    school: k + 1,
    schoolCount,
    pupils,
    years,
    lastAcademicYear,
  }));
  // A worker costs a second or two to start (it loads the generator through tsx): worth it
  // only for a trust-sized run.
  const parallelByDefault = pupils * years * schoolCount >= PARALLEL_FROM_PUPIL_YEARS;
  const workers = Math.min(schoolCount, opts.workers ?? (parallelByDefault ? os.availableParallelism() : 1));
  const schools: DemoManifest['schools'] = workers > 1 ? await inWorkers(jobs, workers) : [];
  if (workers <= 1) for (const job of jobs) schools.push(await generateSchool(job));

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
