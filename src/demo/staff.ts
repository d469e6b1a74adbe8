/**
 * Staff codes (three letters, as on timetables: initial + first two letters of the surname).
 * Only codes are ever written; the invented names behind them are discarded.
 */
import type { Rng } from './random.ts';
import { STAFF_FIRST, SUBJECTS, SURNAMES } from './vocab.ts';

export interface Staff {
  readonly teachersBySubject: ReadonlyMap<string, readonly string[]>;
  /** Tutor of each form, by form code such as `9B` (teachers double as tutors). */
  tutorOf(form: string): string;
  readonly headOfYear: Readonly<Record<number, string>>;
  readonly slt: readonly string[];
  readonly pso: readonly string[];
  readonly attendanceOfficer: string;
  readonly dsl: string;
  readonly all: readonly string[];
}

const BLOCKED = new Set(['SEX', 'FUK', 'FAT', 'GAY', 'WTF', 'KKK', 'NOB', 'POO', 'BUM', 'DIE']);

export function createStaff(rng: Rng): Staff {
  const used = new Set<string>();
  const surnames = SURNAMES.map((s) =>
    s
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toUpperCase(),
  );
  const newCode = (): string => {
    for (;;) {
      const code = rng.pick(STAFF_FIRST) + rng.pick(surnames).slice(0, 2);
      if (code.length === 3 && !used.has(code) && !BLOCKED.has(code)) {
        used.add(code);
        return code;
      }
    }
  };
  const teachersBySubject = new Map<string, string[]>();
  const teachers: string[] = [];
  for (const [subject, share] of SUBJECTS) {
    const n = Math.max(1, Math.round(share * 62));
    const codes = Array.from({ length: n }, newCode);
    teachersBySubject.set(subject, codes);
    teachers.push(...codes);
  }
  const headOfYear: Record<number, string> = {};
  for (let y = 7; y <= 11; y++) headOfYear[y] = newCode();
  const slt = Array.from({ length: 5 }, newCode);
  const pso = Array.from({ length: 2 }, newCode);
  const attendanceOfficer = newCode();
  const tutors = new Map<string, string>();
  const tutorPool = rng.shuffle([...teachers]);
  let next = 0;
  return {
    teachersBySubject,
    tutorOf(form: string) {
      let code = tutors.get(form);
      if (!code) {
        code = tutorPool[next++ % tutorPool.length];
        tutors.set(form, code);
      }
      return code;
    },
    headOfYear,
    slt,
    pso,
    attendanceOfficer,
    dsl: slt[1],
    all: [...teachers, ...Object.values(headOfYear), ...slt, ...pso, attendanceOfficer],
  };
}
