/**
 * One school of the demo: simulated and written to its folder. Separate from generate.ts so a
 * worker thread can load it alone; everything it needs comes in the job, and its randomness
 * comes from the seed and the school's number only, so where it runs cannot change its bytes.
 */
import { join } from 'node:path';
import { academicYearCalendar } from './calendar.ts';
import { Rng } from './random.ts';
import { type SchoolTruths, simulateSchool } from './school.ts';
import { writeTables } from './write-csv.ts';

export interface SchoolJob {
  outDir: string;
  seed: number;
  /** 1-based: DEMO1 is the calibrated school. */
  school: number;
  schoolCount: number;
  pupils: number;
  years: number;
  lastAcademicYear: number;
}

export interface GeneratedSchool {
  schoolId: string;
  dir: string;
  files: Record<string, number>;
  truths: SchoolTruths;
}

export async function generateSchool(job: SchoolJob): Promise<GeneratedSchool> {
  const calendars = Array.from({ length: job.years }, (_, k) => academicYearCalendar(job.lastAcademicYear - job.years + 1 + k));
  const schoolId = `DEMO${job.school}`;
  const rng = new Rng(job.seed).derive('school', job.school);
  // The first school is the calibrated one; the others of a trust differ a little in behaviour.
  const behaviourFactor = job.school === 1 ? 1 : Math.exp(rng.derive('factor').normal(0, 0.25));
  const result = simulateSchool(rng, { schoolId, perYear: job.pupils, calendars, behaviourFactor });
  const dir = job.schoolCount === 1 ? '.' : schoolId;
  const files = await writeTables(join(job.outDir, dir), result.tables);
  return { schoolId, dir, files, truths: result.truths };
}
