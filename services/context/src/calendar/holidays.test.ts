import { describe, expect, it } from 'vitest';
import { HolidayCalendar, dayNumberOfDate, holidayCalendarProblems } from './holidays.js';

const day = (iso: string): number => dayNumberOfDate(iso);

describe('HolidayCalendar (date-holidays, public holidays only)', () => {
  it.each([
    ['AT', undefined, '2026-10-26', true, 'Nationalfeiertag'],
    ['AT', '7', '2026-10-26', true, 'Nationalfeiertag'],
    ['AT', '7', '2026-10-25', false, ''],
    ['AT', '7', '2026-12-08', true, 'Mariä Empfängnis'],
    ['AT', '7', '2026-12-24', false, ''], // Heiliger Abend is a bank holiday from 14:00, not public
    ['AT', '7', '2026-03-19', false, ''], // Josefitag: a school holiday in Tirol, not public
    ['DE', undefined, '2026-10-03', true, 'Tag der Deutschen Einheit'],
    ['DE', 'BY', '2026-06-04', true, 'Fronleichnam'], // Corpus Christi: Bavaria has it ...
    ['DE', 'BE', '2026-06-04', false, ''], // ... Berlin does not
    ['DE', 'BE', '2026-03-08', true, 'Internationaler Frauentag'], // Berlin only
    ['DE', 'BY', '2026-03-08', false, ''],
    ['DE', 'BY', '2026-04-05', false, ''], // Easter Sunday is an observance in date-holidays, not public
    ['DE', 'BY', '2026-04-06', true, 'Ostermontag'],
  ])('%s-%s %s: public holiday %s (%s)', (country, region, date, want, name) => {
    const cal = new HolidayCalendar(country, region);
    expect(cal.isPublicHoliday(day(date))).toBe(want);
    expect(cal.namesOn(day(date))).toEqual(want ? [name] : []);
  });

  it('a year is looked up once and kept', () => {
    const cal = new HolidayCalendar('AT', '7');
    const first = cal.publicHolidays(2026);
    expect(cal.publicHolidays(2026)).toBe(first);
    expect(first.size).toBe(13);
  });

  it.each([
    ['AT', '7', []],
    ['AT', undefined, []],
    ['XX', undefined, ['date-holidays knows no country "XX"']],
    ['AT', '99', ['date-holidays knows no region "99" of AT (known: 1, 2, 3, 4, 5, 6, 7, 8, 9)']],
  ])('holidayCalendarProblems(%s, %s)', (country, region, want) => {
    expect(holidayCalendarProblems(country, region)).toEqual(want);
  });

  it('refuses an unknown country or region when built', () => {
    expect(() => new HolidayCalendar('AT', '99')).toThrow('date-holidays knows no region "99" of AT');
  });
});
