/** Reconnect delays: `base` doubling per failed attempt up to `max`, with ±20% jitter so clients spread out. */
export function reconnectDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const plain = Math.min(max, base * 2 ** Math.max(0, attempt));
  return plain * (0.8 + random() * 0.4);
}
