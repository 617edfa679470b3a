/**
 * The cluster's notional timeline. The engine reads no clock, so times that kubectl prints as
 * dates (a pod's Start Time, a container's Started and Finished) are placed on a timeline that
 * starts when the scenario is applied, at second 0 = the Unix epoch (as a pcap's first packet
 * defaults to 0): the same scenario always prints the same dates. "Now" is not on it, which is
 * why ages stay `<unknown>`.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z layout in UTC ("Thu, 01 Jan 1970 00:00:01 +0000"), as kubectl describe prints times. */
export function rfc1123z(seconds: number): string {
  const d = new Date(Math.floor(seconds) * 1000);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
