/** How the console writes numbers, times and durations: the browser's locale, plain words. */

const numbers = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const dayOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export const formatNumber = (n: number): string => numbers.format(n);
export const formatDateTime = (ms: number): string => dateTime.format(ms);
export const formatTime = (ms: number): string => timeOnly.format(ms);
/** A UTC calendar day (`2026-11-03`, as usage is counted) as "Nov 3". */
export const formatDay = (isoDate: string): string => dayOnly.format(Date.parse(`${isoDate}T00:00:00Z`));

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "in 14 days", "now". */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
  }
  return relative.format(0, 'minute');
}

export const DURATION_UNITS = [
  { seconds: 86_400, singular: 'day', plural: 'days' },
  { seconds: 3_600, singular: 'hour', plural: 'hours' },
  { seconds: 60, singular: 'minute', plural: 'minutes' },
  { seconds: 1, singular: 'second', plural: 'seconds' },
] as const;

/** 1209600 → "14 days", 5400 → "1 hour 30 minutes". */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds <= 0) return '0 seconds';
  const parts: string[] = [];
  let rest = Math.round(totalSeconds);
  for (const u of DURATION_UNITS) {
    const n = Math.floor(rest / u.seconds);
    if (n > 0) {
      parts.push(`${formatNumber(n)} ${n === 1 ? u.singular : u.plural}`);
      rest -= n * u.seconds;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** "1 device", "1,000 devices". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(n)} ${n === 1 ? singular : pluralForm}`;
}
