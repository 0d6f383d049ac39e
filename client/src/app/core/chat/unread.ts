/** The badge text for an unread count: nothing for 0, "99+" past 99. */
export function unreadBadge(count: number): string {
  if (count <= 0) {
    return '';
  }
  return count > 99 ? '99+' : String(count);
}
