/** Unix time in whole seconds, the unit of every timestamp in the wire contract. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
