/** A bulk enrolment job as the admin API reports it (no imports: the console reads this type too). */
export interface EnrolmentStatus {
  id: string;
  state: 'running' | 'done' | 'failed';
  phase: 'preparing' | 'writing' | 'done';
  done: number;
  total: number;
  /** On success: how many clients were made, and their ids (not their credentials). */
  created?: { count: number; clientIds: string[] };
  /** On failure: what was wrong, by row or device id; nothing was created. */
  error?: { message: string; fields?: Record<string, string> };
}
