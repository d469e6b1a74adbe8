import { describe, expect, it } from 'vitest';
import { academicYearCalendar, bankHolidays, easterSunday } from '../../src/demo/calendar.ts';
import { dayFromIso, isoOf, weekday } from '../../src/demo/dates.ts';

describe('Easter and bank holidays', () => {
  it('computes Easter Sunday for known years', () => {
    const known: Record<number, string> = {
      2008: '2008-03-23', // earliest in living memory
      2011: '2011-04-24',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25', // latest possible date
    };
    for (const [year, iso] of Object.entries(known)) expect(isoOf(easterSunday(Number(year)))).toBe(iso);
  });

  it('lists the England and Wales bank holidays, with substitutes and one-offs', () => {
    const iso = (y: number) => [...bankHolidays(y)].map(isoOf).sort();
    expect(iso(2025)).toEqual([
      '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
    ]);
    // 2022: New Year substitute, jubilee weekend moved the spring holiday, state funeral.
    expect(iso(2022)).toEqual([
      '2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19',
      '2022-12-26', '2022-12-27',
    ]);
    expect(iso(2023)).toContain('2023-05-08'); // coronation
  });
});

describe('academic year calendar', () => {
  it('has 185–195 school days on weekdays that are not bank holidays, every year 2015–2035', () => {
    for (let y = 2015; y <= 2035; y++) {
      const cal = academicYearCalendar(y);
      expect(cal.schoolDays.length, cal.label).toBeGreaterThanOrEqual(185);
      expect(cal.schoolDays.length, cal.label).toBeLessThanOrEqual(195);
      const holidays = new Set([...bankHolidays(y), ...bankHolidays(y + 1)]);
      for (const d of cal.schoolDays) {
        expect(weekday(d.day), d.iso).toBeGreaterThanOrEqual(1);
        expect(weekday(d.day), d.iso).toBeLessThanOrEqual(5);
        expect(holidays.has(d.day), d.iso).toBe(false);
      }
    }
  });

  it('follows the English pattern of terms and half-terms', () => {
    for (let y = 2015; y <= 2035; y++) {
      const cal = academicYearCalendar(y);
      const ht = cal.halfTerms;
      expect(ht.map((h) => `${h.term}${h.halfTerm}`)).toEqual(['Autumn1', 'Autumn2', 'Spring3', 'Spring4', 'Summer5', 'Summer6']);
      expect(cal.label).toBe(`${y}/${String((y + 1) % 100).padStart(2, '0')}`);
      const iso = ht.map((h) => [isoOf(h.start), isoOf(h.end)]);
      // Autumn starts in the first week of September and ends before Christmas.
      expect(iso[0][0] >= `${y}-09-02` && iso[0][0] <= `${y}-09-08`).toBe(true);
      expect(iso[1][1] >= `${y}-12-15` && iso[1][1] <= `${y}-12-19`).toBe(true);
      // October half-term: a full week off at the end of October.
      expect(ht[1].start - ht[0].end).toBeGreaterThanOrEqual(10);
      expect(iso[0][1] >= `${y}-10-16` && iso[0][1] <= `${y}-10-31`).toBe(true);
      // Spring starts in early January; February half-term; the Easter break holds Good Friday and Easter Monday.
      expect(iso[2][0] >= `${y + 1}-01-02` && iso[2][0] <= `${y + 1}-01-09`).toBe(true);
      expect(iso[2][1].slice(5, 7)).toBe('02');
      const easter = easterSunday(y + 1);
      expect(ht[3].end).toBeLessThan(easter - 2);
      expect(ht[4].start).toBeGreaterThan(easter + 1);
      // Summer ends in the second half of July.
      expect(iso[5][1] >= `${y + 1}-07-15` && iso[5][1] <= `${y + 1}-07-24`).toBe(true);
      // The late-May bank holiday falls in the summer half-term break.
      const lateMay = [...bankHolidays(y + 1)].find((d) => isoOf(d).slice(5, 7) === '05' && isoOf(d) >= `${y + 1}-05-25`);
      if (lateMay !== undefined) expect(lateMay > ht[4].end && lateMay < ht[5].start).toBe(true);
    }
  });

  it('gives 2025/26 the expected dates', () => {
    const cal = academicYearCalendar(2025);
    expect(cal.halfTerms.map((h) => `${isoOf(h.start)}..${isoOf(h.end)}`)).toEqual([
      '2025-09-03..2025-10-24',
      '2025-11-04..2025-12-19',
      '2026-01-06..2026-02-13',
      '2026-02-23..2026-03-27',
      '2026-04-14..2026-05-22',
      '2026-06-02..2026-07-21',
    ]);
    expect(cal.schoolDays.length).toBe(190);
    // The early May bank holiday is not a school day.
    expect(cal.schoolDays.some((d) => d.day === dayFromIso('2026-05-04'))).toBe(false);
  });

  it('marks the last school day of each week and the days left before a break', () => {
    const cal = academicYearCalendar(2025);
    const last = cal.schoolDays.filter((d) => d.lastOfWeek);
    expect(last.length).toBeGreaterThanOrEqual(37);
    expect(last.length).toBeLessThanOrEqual(40);
    for (const d of cal.schoolDays) if (d.daysToBreak === 0) expect(d.lastOfWeek).toBe(true);
  });
});
