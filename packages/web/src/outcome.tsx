// The one visual language for outcomes: the same colour and word everywhere in the dashboard.
export const OUTCOMES = ['fail', 'warn', 'unknown', 'pass', 'not-applicable'] as const;

export function Outcome({ value }: { value: string }) {
  const known = (OUTCOMES as readonly string[]).includes(value) ? value : 'unknown';
  return <span class={`outcome outcome-${known}`}>{value === 'not-applicable' ? 'n/a' : value}</span>;
}
