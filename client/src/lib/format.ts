/**
 * Times in the workshop's time zone (never the browser's: a head-office laptop in Berlin looks
 * at a board in Shanghai), and what a TV facing customers may show of a plate.
 */
export function clockTime(iso: string | number | Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** 沪A12345 → 沪A·····5: province and city letter (no person in them), the last character to tell cars apart. */
export function maskPlate(plate: string): string {
  const chars = [...plate];
  if (chars.length <= 3) return '·'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}${'·'.repeat(chars.length - 3)}${chars.at(-1)}`;
}

/** 0.7812 → "78 %" (one decimal below 10 %, where a point matters: comebacks). */
export function percent(value: number | null): string {
  if (value === null) return '—';
  const p = value * 100;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

export function minutesText(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)}`;
}
