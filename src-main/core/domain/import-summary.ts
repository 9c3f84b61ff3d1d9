/** What a configuration import did (no imports: the console reads this type too). */
export interface ImportSummary {
  clients: number;
  apiScopes: number;
  apiResources: number;
  identityResources: number;
  users: number;
  settings: boolean;
  /** Advice that does not stop the import, e.g. a short hand-written secret. */
  warnings: string[];
}
