// The tests' business time zone is UTC (the server's default), and the server buckets visits
// into its days at the real time.

/**
 * Resolves at once unless the UTC day ends within `minutes`; then once it has turned. A test
 * that makes visits and reads "today" back would find them split across two days if midnight
 * fell in between; the wall clock is the condition here, nothing else says when the day turns.
 */
export async function theDayLasts(minutes) {
  const now = Date.now();
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  const left = midnight.getTime() - now;
  if (left < minutes * 60_000) {
    await new Promise((resolve) => setTimeout(resolve, left + 1_000));
  }
}
