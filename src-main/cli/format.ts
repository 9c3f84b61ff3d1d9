/** A timestamp as the CLI prints it, or `missing` when there is none. */
export function iso(ms: number | undefined, missing = '-'): string {
  return ms === undefined ? missing : new Date(ms).toISOString();
}

/** A list option such as `--scopes "a b"` or `--tags a,b`: words separated by spaces or commas. */
export function words(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean);
}
