/**
 * The shared vocabulary of a course's records (issue 18): the courses module owns courses and
 * their rosters; the results module computes the gradebook and the participants module the
 * attendance from what they own. Courses hands them a CourseRecordsInput; they never read the
 * courses collection.
 */
export interface RosterEntry {
  name: string;
  /** Lower-cased; the identity a roster line is matched to Zoom's people by. */
  email: string | null;
  student_id: string | null;
}

export interface CourseRecordsInput {
  /** Meeting numbers; a recurring meeting's number covers all its occurrences. */
  meeting_ids: string[];
  roster: RosterEntry[];
}
