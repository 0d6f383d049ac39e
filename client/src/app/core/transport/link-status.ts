/**
 * The live link to the home server, as the sidebar footer shows it:
 * `connecting` before the first stream opened, `live` while one is open,
 * `reconnecting` after it dropped until a new one opens.
 */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting';
