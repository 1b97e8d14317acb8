// The tests' business time zone is UTC (the server's default), and the server buckets visits
// into its days at the real time.
import { eventually } from '../public-site/page.mjs';

const utcDay = () => new Date().toISOString().slice(0, 10);

/**
 * Resolves at once unless the UTC day ends within `minutes`; then once it has turned. A test
 * that makes visits and reads "today" back would find them split across two days if midnight
 * fell in between. Polled: only the wall clock says when the day turns.
 */
export async function theDayLasts(minutes) {
  const midnight = new Date();
  midnight.setUTCHours(24, 0, 0, 0);
  if (midnight.getTime() - Date.now() >= minutes * 60_000) return;
  const today = utcDay();
  await eventually('the UTC day to turn', utcDay, (day) => day !== today, {
    timeout: minutes * 60_000 + 10_000,
    every: 200,
  });
}
